/** The real world for the CLI: Deno's stdio, fetch, clock, signals and subprocesses. */

import type { CommandRunner, TextFileReader, TextSink } from "../core/mod.ts";
import { systemClock, systemTimers } from "../core/mod.ts";
import type { CliContext } from "./context.ts";
import { readEnvironment } from "../config/mod.ts";
import { stderrLogger } from "./_logger.ts";

/** Builds the context `main.ts` runs the CLI with. */
export function systemContext(): CliContext {
  const env = readEnvironment();
  const stderr = sinkFor(Deno.stderr);
  return {
    env,
    fetch: globalThis.fetch.bind(globalThis),
    clock: systemClock,
    timers: systemTimers,
    runCommand: runSystemCommand,
    readTextFile: readSystemTextFile,
    logger: stderrLogger(stderr, { debug: Boolean(env.MYCOSWARM_DEBUG) }),
    newId: () => crypto.randomUUID(),
    stdout: sinkFor(Deno.stdout),
    stderr,
    stdin: Deno.stdin.readable,
    isTerminal: {
      stdin: Deno.stdin.isTerminal(),
      stdout: Deno.stdout.isTerminal(),
      stderr: Deno.stderr.isTerminal(),
    },
    system: {
      hostname: Deno.hostname(),
      os: Deno.build.os,
      arch: Deno.build.arch,
      cpuCount: navigator.hardwareConcurrency,
    },
    onInterrupt(handler) {
      Deno.addSignalListener("SIGINT", handler);
      return () => Deno.removeSignalListener("SIGINT", handler);
    },
  };
}

/** Runs a program; null when it is not installed or cannot start. */
export const runSystemCommand: CommandRunner = async (command, args, options = {}) => {
  try {
    const output = await new Deno.Command(command, {
      args: [...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    }).output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } catch {
    return null;
  }
};

/** Reads a text file; null when missing or unreadable. */
export const readSystemTextFile: TextFileReader = async (path) => {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
};

function sinkFor(file: { writeSync(p: Uint8Array): number }): TextSink {
  const encoder = new TextEncoder();
  return {
    write(text) {
      let bytes = encoder.encode(text);
      try {
        while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
      } catch (error) {
        // The reader went away (`mycoswarm ... | head`): nothing left to tell it.
        if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
      }
    },
  };
}
