/**
 * A search index snapshot in format 1, the layout written before format 2 (December 2026):
 * "MYCOSRCH", the byte length of a JSON header (u32, little-endian), the JSON header
 * (format, the caller's fields, each section's length, a CRC-32 of the sections), then the
 * sections, each zero-padded to 8 bytes. Tests use it to check that such a file is rebuilt,
 * never loaded. The sections' contents do not matter to a reader that refuses the format.
 */

import { crc32 } from "node:zlib";

const pad = (n: number) => (8 - (n % 8)) % 8;

/** Options of {@linkcode format1Snapshot}. */
export interface Format1Options {
  /** The store generation the snapshot claims to reflect. */
  generation: number;
  /** Items the header says the text index holds. @default {3} */
  count?: number;
}

/** The bytes of a format-1 snapshot whose header claims `options.generation`. */
export function format1Snapshot(options: Format1Options): Uint8Array {
  const encoder = new TextEncoder();
  const sections = ["internalDocumentIDStore", "index", "docs", "sorting", "pinning", "language"]
    .map((key) => encoder.encode(JSON.stringify({ key })));
  let crc = 0;
  for (const s of sections) crc = crc32(s, crc);
  const header = encoder.encode(JSON.stringify({
    format: 1,
    fields: { dims: 0, count: options.count ?? 3, vectors: 0, generation: options.generation },
    sections: sections.map((s) => s.length),
    crc32: crc,
  }));
  const prefixLength = 12 + header.length + pad(12 + header.length);
  const prefix = new Uint8Array(prefixLength);
  prefix.set(encoder.encode("MYCOSRCH"));
  new DataView(prefix.buffer).setUint32(8, header.length, true);
  prefix.set(header, 12);
  const parts = [prefix, ...sections.flatMap((s) => [s, new Uint8Array(pad(s.length))])];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), at += p.length;
  return out;
}
