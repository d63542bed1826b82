/** The process environment, read in one place (lib/config) and handed on as a plain object. */

/** A snapshot of the environment variables. */
export function readEnvironment(): Record<string, string> {
  return Deno.env.toObject();
}
