/**
 * The snapshot container, laid out so that loading is one read and no parsing: a fixed
 * binary header, a table of sections (kind, offset, length) and the sections themselves,
 * each starting 8-byte aligned so the caller views them as typed arrays straight from the
 * read buffer, without copying.
 *
 * ```
 * 0   "MYCOSRCH"          magic
 * 8   u32 format          SNAPSHOT_FORMAT
 * 12  u32 crc32           CRC-32 of every byte from offset 16 to the end
 * 16  u64 file length     catches truncation before anything else is read
 * 24  u32 section count, u32 zero
 * 32  per section: u32 kind, u32 zero, u64 offset, u64 length
 * …   sections, each at an 8-byte-aligned offset, zero-padded to a multiple of 8
 * ```
 *
 * All numbers little-endian. The checksum is zlib's CRC-32 (node:zlib, native), over every
 * byte on every load: 10–20 ms for 250 MB already in memory. The first pass over freshly read
 * bytes costs more (0.3 s for 206 MB on a busy 2-core VM, the pages' first touch, which the
 * first search would pay otherwise), within the 3 s budget, and a damaged file never loads.
 * Format 2 tokenised Chinese and Japanese without cutting them into pairs (same layout, other
 * terms). Format 1 had a JSON header whose byte length sat at offset 8 and whose text began at 12;
 * such a file is recognised, so the caller can say "older version" rather than "damaged".
 *
 * Written to a temporary file in the same folder and renamed over the target, so readers
 * see the old file or the new one, never half of one. Reading never throws.
 */

import { crc32 } from "node:zlib";
import { createError, writeFileAtomic } from "../core/mod.ts";

const MAGIC = new TextEncoder().encode("MYCOSRCH");
/** Bumped whenever the layout or the meaning of a section changes. */
export const SNAPSHOT_FORMAT = 3;
const ALIGN = 8;
const HEADER_BYTES = 32;
const ENTRY_BYTES = 24;
/** Where the checksummed bytes start (after magic, format and the checksum itself). */
const CHECKED_FROM = 16;
/** More sections than any writer makes: a count above it is damage, not a big index. */
const MAX_SECTIONS = 4096;

/** One section: the caller's kind tag and its bytes. */
export interface SnapshotSection {
  /** What the section holds, in the caller's numbering. */
  kind: number;
  /** The bytes; on reading, a view into the file's buffer at an 8-byte-aligned offset. */
  bytes: Uint8Array;
}

/** What reading a snapshot gave. */
export type SnapshotRead =
  | { status: "ok"; sections: SnapshotSection[] }
  | { status: "missing" }
  /** A snapshot of another format version (1: the JSON-header layout); `older` than ours? */
  | { status: "other-format"; format: number; older: boolean }
  | { status: "damaged"; reason: string };

const pad = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;

/** Writes `sections` to `path` atomically (temp file, fsync, rename). */
export async function writeSnapshotFile(
  path: string,
  sections: readonly SnapshotSection[],
): Promise<void> {
  const tableEnd = HEADER_BYTES + ENTRY_BYTES * sections.length;
  const head = new Uint8Array(tableEnd + pad(tableEnd));
  const view = new DataView(head.buffer);
  head.set(MAGIC);
  view.setUint32(8, SNAPSHOT_FORMAT, true);
  view.setUint32(24, sections.length, true);
  const chunks: Uint8Array[] = [head];
  let offset = head.length;
  sections.forEach(({ kind, bytes }, i) => {
    const entry = HEADER_BYTES + ENTRY_BYTES * i;
    view.setUint32(entry, kind, true);
    view.setBigUint64(entry + 8, BigInt(offset), true);
    view.setBigUint64(entry + 16, BigInt(bytes.length), true);
    chunks.push(bytes, new Uint8Array(pad(bytes.length)));
    offset += bytes.length + pad(bytes.length);
  });
  view.setBigUint64(16, BigInt(offset), true);
  let crc = crc32(head.subarray(CHECKED_FROM));
  for (const chunk of chunks.slice(1)) crc = crc32(chunk, crc);
  view.setUint32(12, crc, true);
  try {
    await writeFileAtomic(path, chunks);
  } catch (cause) {
    throw createError("internal", `Could not write the search snapshot ${path}: ${cause}`, {
      cause,
    });
  }
}

/** Reads a snapshot in one read into one buffer whose sections the result views. */
export async function readSnapshotFile(path: string): Promise<SnapshotRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readWhole(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { status: "missing" };
    return { status: "damaged", reason: `unreadable: ${(error as Error).message}` };
  }
  return parseSnapshot(bytes);
}

/**
 * The file's bytes in a buffer of exactly its size. (`Deno.readFile` grows its buffer as
 * it reads: 1.5 s for 198 MB here, against 0.6 s for one read into a buffer sized by stat.)
 */
async function readWhole(path: string): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const size = (await file.stat()).size;
  const bytes = new Uint8Array(size);
  let filled = 0;
  while (filled < size) {
    const n = await file.read(bytes.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return bytes.subarray(0, filled);
}

/** Parses snapshot bytes; sections are views into `bytes`. */
export function parseSnapshot(bytes: Uint8Array): SnapshotRead {
  // Offsets are aligned relative to the file; the views need the buffer aligned too.
  if (bytes.byteOffset % ALIGN !== 0) bytes = bytes.slice();
  const damaged = (reason: string): SnapshotRead => ({ status: "damaged", reason });
  if (bytes.length < HEADER_BYTES) return damaged(`only ${bytes.length} bytes`);
  if (!MAGIC.every((b, i) => bytes[i] === b)) return damaged("not a search snapshot");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format !== SNAPSHOT_FORMAT) {
    const found = bytes[12] === 0x7b /* { */ ? 1 : format;
    return { status: "other-format", format: found, older: found < SNAPSHOT_FORMAT };
  }
  const length = view.getBigUint64(16, true);
  if (length !== BigInt(bytes.length)) {
    return damaged(`${bytes.length} bytes where the header says ${length}`);
  }
  const count = view.getUint32(24, true);
  const tableEnd = HEADER_BYTES + ENTRY_BYTES * count;
  if (count > MAX_SECTIONS || tableEnd > bytes.length) return damaged("bad section table");
  if (crc32(bytes.subarray(CHECKED_FROM)) !== view.getUint32(12, true)) {
    return damaged("checksum mismatch");
  }
  const sections: SnapshotSection[] = [];
  let end = tableEnd;
  for (let i = 0; i < count; i++) {
    const entry = HEADER_BYTES + ENTRY_BYTES * i;
    const offset = Number(view.getBigUint64(entry + 8, true));
    const size = Number(view.getBigUint64(entry + 16, true));
    // In order, aligned and inside the file: only a writer's bug gets past the checksum here.
    if (offset < end || offset % ALIGN !== 0 || offset + size > bytes.length) {
      return damaged(`section ${i} out of place`);
    }
    sections.push({
      kind: view.getUint32(entry, true),
      bytes: bytes.subarray(offset, offset + size),
    });
    end = offset + size;
  }
  return { status: "ok", sections };
}
