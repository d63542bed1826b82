/**
 * The swarm token: 256 random bits as 64 hex digits, shared by every node of one swarm. It
 * signs mDNS announcements and guards every node API route but `/health`. The file is
 * `swarm-token` under the mycoswarm home, mode 0600, as in the Python mycoSwarm, so a token
 * file copied from a Python node works here.
 *
 * @module
 */

import { dirname } from "node:path";
import { createError, type Logger, toHex, writeFileAtomic } from "../core/mod.ts";

const TOKEN = /^[0-9a-f]{64}$/i;
/** Owner read and write, nothing for group and others. */
const PRIVATE_MODE = 0o600;

/** True for a well-formed token: 64 hex digits (either case). */
export function isSwarmToken(value: string): boolean {
  return TOKEN.test(value);
}

/** A fresh token: 32 random bytes as 64 lowercase hex digits (Python's `token_hex(32)`). */
export function newSwarmToken(randomBytes: (n: number) => Uint8Array = cryptoBytes): string {
  return toHex(randomBytes(32));
}

/** What {@linkcode ensureSwarmToken} found or made. */
export interface EnsuredToken {
  /** The swarm token every node of the swarm shares. */
  token: string;
  /** True when the file was created now. */
  created: boolean;
}

/** Options of the token functions. */
export interface SwarmTokenOptions {
  /** Warned when the file is readable by group or others. */
  logger?: Logger;
  /** Random bytes for a new token, injectable for tests. @default crypto.getRandomValues */
  randomBytes?: (n: number) => Uint8Array;
}

/**
 * Reads the token file.
 *
 * @param path the token file
 * @returns the token (lowercase), or `null` when there is no file
 * @throws MycoError `config_invalid` when the file does not hold a token
 */
export async function readSwarmToken(path: string): Promise<string | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw createError("storage_failed", `Cannot read the swarm token ${path}: ${message(error)}`);
  }
  const token = text.trim();
  if (!isSwarmToken(token)) {
    throw createError("config_invalid", `${path} does not hold a swarm token (64 hex digits)`, {
      hint: "Copy the token of your swarm with `mycoswarm join <token>`, " +
        "or start a new swarm with `mycoswarm token --rotate`.",
    });
  }
  return token.toLowerCase();
}

/**
 * Reads the token, creating the file (mode 0600) when there is none. An existing file's
 * mode is never changed; a warning says when group or others can read it.
 *
 * @example
 * ```ts
 * const { token, created } = await ensureSwarmToken(config.paths.swarmTokenFile);
 * ```
 */
export async function ensureSwarmToken(
  path: string,
  options: SwarmTokenOptions = {},
): Promise<EnsuredToken> {
  const existing = await readSwarmToken(path);
  if (existing !== null) {
    await warnIfExposed(path, options.logger);
    return { token: existing, created: false };
  }
  const token = newSwarmToken(options.randomBytes);
  // Two daemons starting at once must not each create a different token: link() fails
  // when the file appeared meanwhile, and then the other one's token is used.
  const won = await writeAtomically(path, token, { replace: false });
  if (!won) return { token: (await readSwarmToken(path))!, created: false };
  return { token, created: true };
}

/**
 * Replaces the token with a fresh one. Every other node needs the new token.
 *
 * @returns the new token
 */
export async function rotateSwarmToken(
  path: string,
  options: SwarmTokenOptions = {},
): Promise<string> {
  const token = newSwarmToken(options.randomBytes);
  await writeAtomically(path, token, { replace: true });
  return token;
}

/**
 * Writes a given token (joining a swarm), replacing any other.
 *
 * @param token 64 hex digits; surrounding white space is dropped, stored lowercase
 * @returns the token as stored
 * @throws MycoError `invalid_input` when `token` is not 64 hex digits
 */
export async function writeSwarmToken(path: string, token: string): Promise<string> {
  const clean = token.trim();
  if (!isSwarmToken(clean)) {
    throw createError(
      "invalid_input",
      `That is not a swarm token: it must be 64 hex digits, got ${describe(clean)}`,
      { hint: "Print your swarm's token with `mycoswarm token` on a node that has it." },
    );
  }
  await writeAtomically(path, clean.toLowerCase(), { replace: true });
  return clean.toLowerCase();
}

/**
 * Writes `token` (mode 0600, or an existing file's stricter mode) so that a reader never
 * sees half a token. With `replace: false` an existing file wins.
 *
 * @returns false when `replace` is false and the file already existed
 */
async function writeAtomically(
  path: string,
  token: string,
  { replace }: { replace: boolean },
): Promise<boolean> {
  try {
    await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    return await writeFileAtomic(path, `${token}\n`, { mode: PRIVATE_MODE, overwrite: replace });
  } catch (error) {
    throw createError("storage_failed", `Cannot write the swarm token ${path}: ${message(error)}`, {
      hint: "Check that MYCOSWARM_HOME is writable.",
    });
  }
}

async function warnIfExposed(path: string, logger: Logger | undefined): Promise<void> {
  const mode = await modeOf(path);
  if (mode !== null && (mode & 0o077) !== 0) {
    logger?.warn(
      `${path} can be read by other users (mode 0${(mode & 0o777).toString(8)}): ` +
        `run chmod 600 ${path}`,
    );
  }
}

async function modeOf(path: string): Promise<number | null> {
  try {
    return (await Deno.stat(path)).mode;
  } catch {
    return null;
  }
}

function describe(value: string): string {
  if (value === "") return "nothing";
  const bad = [...value].find((c) => !/[0-9a-f]/i.test(c));
  return bad === undefined
    ? `${value.length} hex digits`
    : `${value.length} characters including '${bad}'`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function cryptoBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
