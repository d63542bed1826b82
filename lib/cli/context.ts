/** What every command gets: the core seams ({@linkcode Deps}) plus the terminal. */

import type { Deps, TextSink } from "../core/mod.ts";

/** The world as a command sees it. `main.ts` builds the real one; tests build their own. */
export interface CliContext extends Deps {
  env: Readonly<Record<string, string>>;
  stdout: TextSink;
  stderr: TextSink;
  /** Lines typed by the user (chat); ends at Ctrl-D / end of input. */
  stdin: ReadableStream<Uint8Array>;
  isTerminal: { stdin: boolean; stdout: boolean; stderr: boolean };
  /** Subscribes to Ctrl-C; returns the unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
}

/** A subcommand: its help, its flags and what it does. */
export interface Command {
  name: string;
  /** The full help text shown by `mycoswarm <name> --help`. */
  help: string;
  run(argv: string[], ctx: CliContext): Promise<number>;
}
