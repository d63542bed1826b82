/**
 * The wire form of DNS-SD TXT data (RFC 6763 §6): one `key=value` string per
 * field, each at most 255 bytes. Reading is strict and never throws.
 *
 * @module
 */
import { createError } from "../core/mod.ts";

/** Longest single TXT string (its length is one byte on the wire). */
export const MAX_TXT_STRING_BYTES = 255;

/** Largest whole TXT record we send or accept (RFC 6763 §6.2: above 1300 bytes is NOT RECOMMENDED). */
export const MAX_TXT_BYTES = 1300;

/**
 * Our keys: lower-case letters, digits, `_` and `-`. RFC 6763 §6.4 allows any
 * printable ASCII but `=`, compared case-insensitively; being stricter keeps
 * keys unambiguous and safe as object keys.
 */
export const TXT_KEY_PATTERN = /^[a-z0-9_-]{1,32}$/;

const encoder = new TextEncoder();
const EQUALS = 0x3d;

/** Bytes a TXT record takes on the wire: one length byte plus the string, per field. */
export function txtByteLength(txt: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const [key, value] of Object.entries(txt)) {
    total += 1 + encoder.encode(`${key}=${value}`).length;
  }
  return Math.max(total, 1);
}

/**
 * Encodes fields as TXT strings, in insertion order. An empty record becomes
 * one empty string, as RFC 6763 §6.1 requires.
 *
 * @param txt the fields
 * @returns the strings
 * @throws {MycoError} `invalid_input` for a bad key, a string over 255 bytes or a record over 1300 bytes
 */
export function encodeTxtData(txt: Readonly<Record<string, string>>): Uint8Array[] {
  const strings = Object.entries(txt).map(([key, value]) => {
    if (!TXT_KEY_PATTERN.test(key)) {
      throw createError("invalid_input", `TXT key '${key}' is not [a-z0-9_-]{1,32}`);
    }
    const bytes = encoder.encode(`${key}=${value}`);
    if (bytes.length > MAX_TXT_STRING_BYTES) {
      throw createError("invalid_input", `TXT field '${key}' is over 255 bytes`);
    }
    return bytes;
  });
  if (txtByteLength(txt) > MAX_TXT_BYTES) {
    throw createError("invalid_input", `TXT record is over ${MAX_TXT_BYTES} bytes`);
  }
  return strings.length === 0 ? [new Uint8Array(0)] : strings;
}

/**
 * Reads TXT strings into fields. Returns `null` (never throws) when the record
 * is over 1300 bytes, a string is over 255 bytes, a field has no `=` (no string
 * value), a key is not {@linkcode TXT_KEY_PATTERN}, a key repeats, or a value
 * is not UTF-8. Empty strings are skipped (an empty record is one empty string).
 *
 * @param strings the TXT record's strings
 * @returns the fields, or `null`
 */
export function decodeTxtData(strings: readonly Uint8Array[]): Record<string, string> | null {
  let total = 0;
  for (const s of strings) total += 1 + s.length;
  if (total > MAX_TXT_BYTES) return null;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const fields = new Map<string, string>();
  for (const s of strings) {
    if (s.length === 0) continue;
    if (s.length > MAX_TXT_STRING_BYTES) return null;
    const eq = s.indexOf(EQUALS);
    if (eq < 0) return null;
    let key: string;
    let value: string;
    try {
      key = decoder.decode(s.subarray(0, eq));
      value = decoder.decode(s.subarray(eq + 1));
    } catch {
      return null;
    }
    if (!TXT_KEY_PATTERN.test(key) || fields.has(key)) return null;
    fields.set(key, value);
  }
  return Object.fromEntries(fields);
}
