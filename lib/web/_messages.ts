/** Small helpers for one-line error messages. */

/** The first line of an error's message. */
export function why(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]?.trim() || "unknown error";
}

/** "10 s", "1.5 s": a duration for messages. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
