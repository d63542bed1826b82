/** Private: the probe's guarded calls to the runner and file reader, which turn every failure into a value. */

import type { CommandRunner, TextFileReader } from "../core/mod.ts";

/** What running one probe command came to. */
export type RunOutcome =
  | { kind: "ok"; stdout: string }
  | { kind: "missing" }
  | { kind: "failed"; detail: string };

/** A probe's finding plus what went wrong on the way. */
export interface Finding<T> {
  value: T;
  notes: string[];
}

/** Runs a command; a missing program, a non-zero exit or a throwing runner become outcomes. */
export async function runProbe(
  runCommand: CommandRunner,
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<RunOutcome> {
  try {
    const result = await runCommand(command, args, { timeoutMs });
    if (result === null) return { kind: "missing" };
    if (result.code !== 0) {
      const said = firstLine(result.stderr) || firstLine(result.stdout);
      return { kind: "failed", detail: `exit ${result.code}${said ? `: ${said}` : ""}` };
    }
    return { kind: "ok", stdout: result.stdout };
  } catch (error) {
    return {
      kind: "failed",
      detail: firstLine(error instanceof Error ? error.message : String(error)),
    };
  }
}

/** Reads a file; null when it is missing, unreadable, or the reader throws. */
export async function readProbe(
  readTextFile: TextFileReader,
  path: string,
): Promise<string | null> {
  try {
    return await readTextFile(path);
  } catch {
    return null;
  }
}

/** A short note about a command that did not give an answer. */
export function describeOutcome(
  command: string,
  outcome: Exclude<RunOutcome, { kind: "ok" }>,
): string {
  return outcome.kind === "missing"
    ? `${command} not available`
    : `${command} failed (${outcome.detail})`;
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0]?.trim() ?? "";
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}
