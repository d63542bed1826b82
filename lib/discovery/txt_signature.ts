/**
 * Signing TXT fields with the swarm token, so that announcements from nodes
 * without the token are ignored: `sig` = HMAC-SHA256 (WebCrypto) over the
 * sorted `key=value` lines of every other field, `ts` included.
 *
 * @module
 */
import { createError, toHex } from "../core/mod.ts";
import { DEFAULT_DISCOVERY_CONFIG } from "./config.ts";
import { type NodeTxt, readTxt } from "./txt_record.ts";

/** Why a TXT record was not accepted. */
export type VerifyFailure = "missing_signature" | "bad_signature" | "stale" | "malformed";

/** The outcome of {@linkcode verifyTxt}. */
export type VerifyResult = { ok: true; fields: NodeTxt } | { ok: false; reason: VerifyFailure };

/** Options of {@linkcode verifyTxt}. */
export interface VerifyOptions {
  /** The current time, ms since the epoch. */
  now: number;
  /**
   * Largest accepted distance between `ts` and now, either way (replays, clock skew).
   * @default 300
   */
  maxAgeSeconds?: number;
}

const TOKEN = /^[0-9a-f]{64}$/i;
const SIG = /^[0-9a-f]{64}$/;
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const encoder = new TextEncoder();

/**
 * The text that is signed: `key=value` lines of every field but `sig`, sorted
 * by key, joined by `\n`; `null` when a value holds a control character (it
 * could forge a line break).
 */
export function canonicalTxt(txt: Readonly<Record<string, string>>): string | null {
  const keys = Object.keys(txt).filter((k) => k !== "sig").sort();
  if (keys.some((k) => CONTROL.test(txt[k]!))) return null;
  return keys.map((k) => `${k}=${txt[k]}`).join("\n");
}

/**
 * Adds `sig` to TXT fields (replacing any old one).
 *
 * @param fields the fields, e.g. from `buildTxt`
 * @param token the swarm token, 64 hex digits
 * @returns the fields with `sig` last
 * @throws {MycoError} `config_invalid` for a bad token, `invalid_input` for a value with a control character
 */
export async function signTxt(
  fields: Readonly<Record<string, string>>,
  token: string,
): Promise<Record<string, string>> {
  const canonical = canonicalTxt(fields);
  if (canonical === null) {
    throw createError("invalid_input", "A TXT value holds a control character");
  }
  const mac = await hmac(token, canonical);
  const { sig: _old, ...rest } = fields;
  return { ...rest, sig: toHex(mac) };
}

/**
 * Checks a TXT record's signature and age, then reads its fields. Never throws
 * for a bad record; the reason says what was wrong.
 *
 * @param txt the fields as received
 * @param token the swarm token, 64 hex digits
 * @param options the current time and the age limit
 * @throws {MycoError} `config_invalid` for a bad local token
 */
export async function verifyTxt(
  txt: Readonly<Record<string, string>>,
  token: string,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const sig = Object.hasOwn(txt, "sig") ? txt.sig : undefined;
  if (sig === undefined || sig === "") return { ok: false, reason: "missing_signature" };
  const canonical = canonicalTxt(txt);
  if (canonical === null) return { ok: false, reason: "malformed" };
  const expected = await hmac(token, canonical);
  if (!SIG.test(sig) || !timingSafeEqual(expected, fromHex(sig))) {
    return { ok: false, reason: "bad_signature" };
  }
  const fields = readTxt(txt);
  if (fields === null) return { ok: false, reason: "malformed" };
  const maxAge = options.maxAgeSeconds ?? DEFAULT_DISCOVERY_CONFIG.maxAnnouncementAgeSeconds;
  if (Math.abs(options.now / 1000 - fields.ts) > maxAge) return { ok: false, reason: "stale" };
  return { ok: true, fields };
}

/** Compares two byte strings in time that depends only on their length. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

async function hmac(token: string, text: string): Promise<Uint8Array> {
  if (!TOKEN.test(token)) {
    throw createError("config_invalid", "The swarm token is not 64 hex digits", {
      hint: "Run `mycoswarm token --rotate`, or copy the token file from another node.",
    });
  }
  const key = await crypto.subtle.importKey(
    "raw",
    fromHex(token.toLowerCase()),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
