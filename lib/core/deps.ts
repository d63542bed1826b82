/**
 * The seams through which the program touches the world. `main.ts` builds the
 * real ones; tests pass their own. Nothing below the CLI reaches for globals.
 *
 * @module
 */

import type { Timers } from "./timers.ts";

/** Wall-clock time, injectable so tests can fake it. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** What a finished command printed. */
export interface CommandResult {
  /** The exit code, so callers can tell a failed probe from an empty one. */
  code: number;
  /** Everything the program printed on stdout. */
  stdout: string;
  /** Everything it printed on stderr, kept for error messages. */
  stderr: string;
}

/**
 * Runs a program and collects its output. Resolves to `null` when the
 * program does not exist or cannot be started; never throws for that.
 */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  options?: { timeoutMs?: number },
) => Promise<CommandResult | null>;

/** Reads a text file; resolves to `null` when it is missing or unreadable. */
export type TextFileReader = (path: string) => Promise<string | null>;

/** Where diagnostics go: stderr in the CLI, a buffer in tests. */
export interface Logger {
  /** Detail only worth reading when chasing a bug. */
  debug(message: string): void;
  /** Progress a user may want to see. */
  info(message: string): void;
  /** Something degraded but the program carries on. */
  warn(message: string): void;
  /** Something failed. */
  error(message: string): void;
}

/** Somewhere to write text: stdout or stderr in the CLI, a buffer in tests. */
export interface TextSink {
  /** Writes the text as is: callers add their own newlines. */
  write(text: string): void;
}

/** The fetch function, injectable so tests can watch or fake the network. */
export type Fetch = typeof globalThis.fetch;

/** A clock reading the real time. */
export const systemClock: Clock = { now: () => Date.now() };

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Facts about this machine that do not change while the program runs. */
export interface SystemInfo {
  /** The machine's name, as peers will see it. */
  hostname: string;
  /** The operating system, as `Deno.build.os` names it. */
  os: string;
  /** The CPU architecture, as `Deno.build.arch` names it. */
  arch: string;
  /** Logical CPUs, as the runtime counts them. */
  cpuCount: number;
}

/**
 * Everything a long-running part (the daemon, a command) needs from the world, in one
 * object: `main.ts` builds the real one, tests their own. The CLI adds its terminal on top.
 */
export interface Deps {
  /** HTTP client, so tests can answer without a network. */
  fetch: Fetch;
  /** The time, so tests can set it. */
  clock: Clock;
  /** Timeouts and intervals, so tests can run them by hand. */
  timers: Timers;
  /** Runs external programs (`nvidia-smi`, `ollama`), so probes can be recorded. */
  runCommand: CommandRunner;
  /** Reads files such as `/proc/meminfo`, so tests can supply them. */
  readTextFile: TextFileReader;
  /** Where diagnostics go. */
  logger: Logger;
  /** A fresh unique id (task ids). */
  newId: () => string;
  /** This machine's fixed facts. */
  system: SystemInfo;
}
