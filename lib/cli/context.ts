/** What every command gets: the core seams ({@linkcode Deps}) plus the terminal. */

import type { Deps, TextSink } from "../core/mod.ts";

/** The world as a command sees it. `main.ts` builds the real one; tests build their own. */
export interface CliContext extends Deps {
  /** The environment, read once at start (nothing else reads `Deno.env`). */
  env: Readonly<Record<string, string>>;
  /** Where results go. */
  stdout: TextSink;
  /** Where errors, warnings and progress go. */
  stderr: TextSink;
  /** Lines typed by the user (chat); ends at Ctrl-D / end of input. */
  stdin: ReadableStream<Uint8Array>;
  /** Which streams are terminals, for prompts and progress bars. */
  isTerminal: { stdin: boolean; stdout: boolean; stderr: boolean };
  /** Subscribes to Ctrl-C; returns the unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
}

/** A subcommand: its help, its flags and what it does. */
export interface Command {
  /** What the user types, e.g. `chat`. */
  name: string;
  /** The full help text shown by `mycoswarm <name> --help`. */
  help: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[], ctx: CliContext): Promise<number>;
}
