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
  code: number;
  stdout: string;
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
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Somewhere to write text: stdout or stderr in the CLI, a buffer in tests. */
export interface TextSink {
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
  hostname: string;
  os: string;
  arch: string;
  /** Logical CPUs, as the runtime counts them. */
  cpuCount: number;
}

/**
 * Everything a long-running part (the daemon, a command) needs from the world, in one
 * object: `main.ts` builds the real one, tests their own. The CLI adds its terminal on top.
 */
export interface Deps {
  fetch: Fetch;
  clock: Clock;
  timers: Timers;
  runCommand: CommandRunner;
  readTextFile: TextFileReader;
  logger: Logger;
  /** A fresh unique id (task ids). */
  newId: () => string;
  system: SystemInfo;
}
