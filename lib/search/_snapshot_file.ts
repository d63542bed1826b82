/**
 * The snapshot container: a magic string, a JSON header (format version, the caller's
 * fields, each section's byte length, a CRC-32 of all sections) and raw binary sections,
 * each padded to 8 bytes so typed arrays can view them in place. Written to a temporary file
 * in the same folder and renamed over the target, so readers see the old file or the new
 * one, never half of one. Reading returns null, never throws, for anything but a whole,
 * intact file of this format version.
 */

import { crc32 } from "node:zlib";
import { createError, writeFileAtomic } from "../core/mod.ts";

const MAGIC = new TextEncoder().encode("MYCOSRCH");
/** Bumped whenever the layout or the meaning of a section changes. */
export const SNAPSHOT_FORMAT = 1;
const ALIGN = 8;

/** The header fields a caller stores next to the sections. */
export type SnapshotFields = Record<string, number | string | boolean>;

interface Header {
  format: number;
  fields: SnapshotFields;
  sections: number[];
  crc32: number;
}

const pad = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;

/** Writes `sections` and `fields` to `path` atomically (temp file, fsync, rename). */
export async function writeSnapshotFile(
  path: string,
  fields: SnapshotFields,
  sections: readonly Uint8Array[],
): Promise<void> {
  let crc = 0;
  for (const s of sections) crc = crc32(s, crc);
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    fields,
    sections: sections.map((s) => s.length),
    crc32: crc,
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new Uint8Array(
    MAGIC.length + 4 + headerBytes.length + pad(MAGIC.length + 4 + headerBytes.length),
  );
  prefix.set(MAGIC);
  new DataView(prefix.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  prefix.set(headerBytes, MAGIC.length + 4);

  const chunks = [prefix, ...sections.flatMap((s) => [s, new Uint8Array(pad(s.length))])];
  try {
    await writeFileAtomic(path, chunks);
  } catch (cause) {
    throw createError("internal", `Could not write the search snapshot ${path}: ${cause}`, {
      cause,
    });
  }
}

/** A snapshot read back: the caller's fields and the sections (views into one buffer). */
export interface SnapshotContents {
  fields: SnapshotFields;
  sections: Uint8Array[];
}

/** Reads a snapshot; null when missing, unreadable, truncated, damaged or another format. */
export async function readSnapshotFile(path: string): Promise<SnapshotContents | null> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    return null;
  }
  return parseSnapshot(bytes);
}

/** Parses snapshot bytes; null for anything but a whole, intact file of this format. */
export function parseSnapshot(bytes: Uint8Array): SnapshotContents | null {
  if (bytes.length < MAGIC.length + 4 || !MAGIC.every((b, i) => bytes[i] === b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) return null;
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, headerEnd)));
  } catch {
    return null;
  }
  if (!isHeader(header) || header.format !== SNAPSHOT_FORMAT) return null;
  const sections: Uint8Array[] = [];
  let offset = headerEnd + pad(headerEnd);
  let crc = 0;
  for (const length of header.sections) {
    if (offset + length > bytes.length) return null;
    const section = bytes.subarray(offset, offset + length);
    crc = crc32(section, crc);
    sections.push(section);
    offset += length + pad(length);
  }
  if (offset !== bytes.length || crc !== header.crc32) return null;
  return { fields: header.fields, sections };
}

function isHeader(value: unknown): value is Header {
  if (typeof value !== "object" || value === null) return false;
  const h = value as Partial<Header>;
  return typeof h.format === "number" && typeof h.crc32 === "number" &&
    typeof h.fields === "object" && h.fields !== null && Array.isArray(h.sections) &&
    h.sections.every((n) => Number.isSafeInteger(n) && n >= 0);
}
