/**
 * Client API keys: a key of its own for each client of the Ollama- and OpenAI-compatible
 * routes (Home Assistant, Open WebUI, a script), revocable one at a time without touching
 * the swarm token. A key is `myco_` + 256 random bits in base64url; the file
 * (`api-keys.json`, mode 0600) keeps only its SHA-256, its name and when it was made, so
 * reading the file never gives a key away.
 *
 * @module
 */

import { dirname } from "node:path";
import { type Clock, createError, toHex, writeFileAtomic } from "../core/mod.ts";

/** One key as stored: never the key itself. */
export interface ApiKeyRecord {
  /** A short slug naming the client, e.g. `home-assistant`. */
  name: string;
  /** SHA-256 of the key, 64 lowercase hex digits. */
  sha256: string;
  /** When the key was created, ISO 8601. */
  created: string;
}

/** A key as {@linkcode createApiKey} made it: the only time the key is seen. */
export interface CreatedApiKey {
  /** The secret to give the client; it is not stored. */
  key: string;
  /** What the file keeps of it. */
  record: ApiKeyRecord;
}

/** Options of {@linkcode createApiKey}. */
export interface CreateApiKeyOptions {
  /** The creation time. @default systemClock */
  clock?: Clock;
  /** Random bytes for the key, injectable for tests. @default crypto.getRandomValues */
  randomBytes?: (n: number) => Uint8Array;
}

/** The prefix that tells a client key from the swarm token (64 hex digits) at a glance. */
export const API_KEY_PREFIX = "myco_";
const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const FILE_VERSION = 1;
/** Owner read and write, nothing for group and others. */
const PRIVATE_MODE = 0o600;

/**
 * Checks a key's name: 1–40 lowercase letters, digits, `-` and `_`, starting with a letter or
 * digit.
 *
 * @throws MycoError `invalid_input` (exit 2) saying what a name may hold
 */
export function checkApiKeyName(name: string): string {
  if (NAME.test(name)) return name;
  throw createError(
    "invalid_input",
    `${JSON.stringify(name)} is not a key name: use 1 to 40 lowercase letters, digits, ` +
      "'-' and '_', starting with a letter or digit (e.g. home-assistant)",
    { field: "name" },
  );
}

/** SHA-256 of `key` as lowercase hex: what the file stores and requests are checked against. */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return toHex(new Uint8Array(digest));
}

/** A fresh key: `myco_` + 32 random bytes as base64url (43 characters). */
export function newApiKey(randomBytes: (n: number) => Uint8Array = cryptoBytes): string {
  const bytes = randomBytes(32);
  const base64 = btoa(String.fromCharCode(...bytes));
  return API_KEY_PREFIX + base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Reads the key file.
 *
 * @param readTextFile injectable for tests @default Deno.readTextFile
 * @returns the keys, oldest first; none when there is no file
 * @throws MycoError `invalid_input` when the file is damaged (it is left untouched),
 *   `storage_failed` when it cannot be read
 */
export async function readApiKeys(
  path: string,
  readTextFile: (path: string) => Promise<string> = Deno.readTextFile,
): Promise<ApiKeyRecord[]> {
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw createError("storage_failed", `Cannot read the API keys ${path}: ${message(error)}`);
  }
  const keys = parseKeys(text);
  if (keys === null) {
    throw createError("invalid_input", `${path} is damaged: it does not hold API keys`, {
      hint: "Move it away and create the keys again with `mycoswarm apikey create NAME`.",
    });
  }
  return keys;
}

/**
 * Creates a key named `name` and stores its hash.
 *
 * @returns the key (shown once) and what was stored
 * @throws MycoError `invalid_input` for a bad name or one already taken
 * @example
 * ```ts
 * const { key } = await createApiKey(config.paths.apiKeysFile, "home-assistant");
 * ```
 */
export async function createApiKey(
  path: string,
  name: string,
  options: CreateApiKeyOptions = {},
): Promise<CreatedApiKey> {
  checkApiKeyName(name);
  const keys = await readApiKeys(path);
  if (keys.some((k) => k.name === name)) {
    throw createError("invalid_input", `There already is an API key named '${name}'`, {
      field: "name",
      hint: `Choose another name, or replace it: mycoswarm apikey revoke ${name}, then create.`,
    });
  }
  const key = newApiKey(options.randomBytes);
  const now = options.clock?.now() ?? Date.now();
  const record = { name, sha256: await hashApiKey(key), created: new Date(now).toISOString() };
  await writeKeys(path, [...keys, record]);
  return { key, record };
}

/**
 * Removes the key named `name`; a running daemon refuses it within seconds.
 *
 * @returns the key's record as it was
 * @throws MycoError `not_found` (exit 1) when no key has that name
 */
export async function revokeApiKey(path: string, name: string): Promise<ApiKeyRecord> {
  const keys = await readApiKeys(path);
  const record = keys.find((k) => k.name === name);
  if (record === undefined) {
    const known = keys.length === 0 ? "there are none" : keys.map((k) => k.name).join(", ");
    throw createError("not_found", `There is no API key named '${name}' (${known})`, {
      hint: "See them with `mycoswarm apikey list`.",
    });
  }
  await writeKeys(path, keys.filter((k) => k !== record));
  return record;
}

/** The file's keys, or null when `text` is not a key file. */
function parseKeys(text: string): ApiKeyRecord[] | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const keys = (data as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return null;
  const out: ApiKeyRecord[] = [];
  for (const entry of keys) {
    const { name, sha256, created } = (entry ?? {}) as Record<string, unknown>;
    if (typeof name !== "string" || typeof sha256 !== "string" || !SHA256.test(sha256)) {
      return null;
    }
    out.push({ name, sha256, created: typeof created === "string" ? created : "" });
  }
  return out;
}

async function writeKeys(path: string, keys: readonly ApiKeyRecord[]): Promise<void> {
  const text = JSON.stringify({ version: FILE_VERSION, keys }, null, 2) + "\n";
  try {
    await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, text, { mode: PRIVATE_MODE });
  } catch (error) {
    throw createError("storage_failed", `Cannot write the API keys ${path}: ${message(error)}`, {
      hint: "Check that MYCOSWARM_HOME is writable.",
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function cryptoBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
