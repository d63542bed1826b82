/**
 * Encodes a hybrid index's parts as snapshot sections and back: the text index's own
 * sections (`TextIndex.toSections`, typed-array bytes), then the vector ids, scales and int8
 * rows as raw little-endian bytes. Decoding views the bytes without re-tokenising; the vector
 * sketches are recomputed (O(rows × dims)).
 */

import { readSnapshotFile, writeSnapshotFile } from "./_snapshot_file.ts";
import { TextIndex } from "./_text_index.ts";
import { VectorStore } from "./_vector_store.ts";

/** The parts of a hybrid index a snapshot holds. */
export interface IndexParts {
  text: TextIndex;
  /** The vector dimensions, 0 while unknown. */
  dims: number;
  vectors: VectorStore | null;
}

/** A copy of `a`'s bytes: the write is async, and the index may change meanwhile. */
function bytesOf(a: Float64Array | Float32Array | Int8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/** Writes `parts`, as they are when the call starts, to `path` atomically. */
export async function writeIndexSnapshot(
  path: string,
  parts: IndexParts,
  generation: number,
): Promise<void> {
  const sections = parts.text.toSections();
  const textSections = sections.length;
  const data = parts.vectors?.data();
  if (data) sections.push(bytesOf(data.ids), bytesOf(data.scales), bytesOf(data.rows));
  const fields = {
    dims: parts.dims,
    count: parts.text.size,
    vectors: data?.ids.length ?? 0,
    textSections,
    generation,
  };
  await writeSnapshotFile(path, fields, sections);
}

/** Reads a snapshot written by {@linkcode writeIndexSnapshot}; null when unusable. */
export async function readIndexSnapshot(
  path: string,
): Promise<{ parts: IndexParts; generation: number } | null> {
  const contents = await readSnapshotFile(path);
  if (!contents) return null;
  const { dims, count, vectors, textSections, generation } = contents.fields;
  if (
    !isCount(dims) || !isCount(count) || !isCount(vectors) || !isCount(textSections) ||
    typeof generation !== "number" ||
    contents.sections.length !== textSections + (vectors > 0 ? 3 : 0)
  ) return null;
  try {
    const text = TextIndex.fromSections(contents.sections.slice(0, textSections));
    if (text.size !== count) return null;
    let store: VectorStore | null = null;
    if (vectors > 0) {
      const [ids, scales, rows] = contents.sections.slice(textSections) as [
        Uint8Array,
        Uint8Array,
        Uint8Array,
      ];
      if (ids.length !== vectors * 8 || scales.length !== vectors * 4) return null;
      if (rows.length !== vectors * dims) return null;
      const idBytes = aligned(ids), scaleBytes = aligned(scales);
      store = VectorStore.fromData({
        dims,
        ids: new Float64Array(idBytes.buffer, idBytes.byteOffset, vectors),
        scales: new Float32Array(scaleBytes.buffer, scaleBytes.byteOffset, vectors),
        rows: new Int8Array(rows.buffer, rows.byteOffset, rows.length),
      });
    }
    return { parts: { text, dims, vectors: store }, generation };
  } catch {
    // A file that passed the checksum but does not decode was written by a bug; rebuild.
    return null;
  }
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

/** `bytes` itself when 8-byte aligned in its buffer, else a copy (typed-array views need it). */
function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
}
