/** Strict argument parsing shared by every subcommand: one-line errors, exit code 2. */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { createError } from "../core/mod.ts";

const COMMON: ParseArgsOptionsConfig = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

/** Parsed flags and positional words, with `help`/`version` always present. */
export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
  version: boolean;
}

/**
 * Parses `argv` for `command`.
 *
 * @throws MycoError `usage` naming the bad word: "ask: unknown flag '--fast' (see ...)"
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: ParseArgsOptionsConfig,
  { maxPositionals = 0 }: { maxPositionals?: number } = {},
): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...COMMON, ...options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw usageError(command, error);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const version = values.version === true;
  if (!help && !version && parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals];
    throw createError(
      "usage",
      `${command}: unexpected argument '${extra}' (see mycoswarm ${command} --help)`,
    );
  }
  return { values, positionals: parsed.positionals, help, version };
}

function usageError(command: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  // "Option '-m, --model <value>' argument missing" → "--model"
  const quoted = message.match(/'([^']+)'/)?.[1] ?? message;
  const word = quoted.match(/--[\w-]+/)?.[0] ?? quoted.split(" ")[0];
  const what = code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
    ? `unknown flag '${word}'`
    : /does not take an argument/.test(message)
    ? `flag '${word}' takes no value`
    : code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
    ? `flag '${word}' needs a value`
    : message.split("\n")[0];
  return createError("usage", `${command}: ${what} (see mycoswarm ${command} --help)`);
}

/** Reads a string flag that must not be empty. */
export function stringFlag(
  command: string,
  values: ParsedCommand["values"],
  name: string,
): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw createError("usage", `${command}: flag '--${name}' needs a value`);
  }
  return value;
}

/** The allowed range of {@linkcode intFlag}. */
export interface IntFlagOptions {
  /** The smallest allowed value (0 for a port, where 0 picks a free one). */
  min: number;
  /** The largest allowed value. */
  max: number;
  /** The value when the flag is not given. @default undefined */
  default?: number;
  /** The flag as the error message names it, e.g. `-n`. @default `--<name>` */
  flag?: string;
}

/**
 * Reads a flag holding a whole number within [min, max] (digits only: no sign, fraction
 * or exponent).
 *
 * @returns the number, or `options.default` when the flag is not given
 * @throws MycoError `usage` (exit 2): "ping: --count must be a whole number from 1 to 100,
 * not 'x'"
 *
 * @example
 * ```ts
 * const port = intFlag("daemon", args.values, "port", { min: 0, max: 65535, default: 7890 });
 * ```
 */
export function intFlag(
  command: string,
  values: ParsedCommand["values"],
  name: string,
  options: IntFlagOptions & { default: number },
): number;
export function intFlag(
  command: string,
  values: ParsedCommand["values"],
  name: string,
  options: IntFlagOptions,
): number | undefined;
export function intFlag(
  command: string,
  values: ParsedCommand["values"],
  name: string,
  options: IntFlagOptions,
): number | undefined {
  const value = stringFlag(command, values, name);
  if (value === undefined) return options.default;
  const { min, max, flag = `--${name}` } = options;
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw createError(
      "usage",
      `${command}: ${flag} must be a whole number from ${min} to ${max}, not '${value}'`,
    );
  }
  return n;
}
