/**
 * Encodes a hybrid index's parts as snapshot sections and back. Sections, in this order:
 * one META (float64: dims, item count, vector count, generation), the text index's own
 * sections (TEXT, as many as it makes), then, when vectors are held, their ids (float64),
 * scales (float32), int8 rows and sketches (float32). Decoding views the vector arrays in
 * the file's buffer and hands the text sections to `TextIndex.fromSections`: nothing is
 * re-tokenised or recomputed.
 */

import { readSnapshotFile, type SnapshotSection, writeSnapshotFile } from "./_snapshot_file.ts";
import { TextIndex } from "./_text_index.ts";
import { VectorStore } from "./_vector_store.ts";

/** The parts of a hybrid index a snapshot holds. */
export interface IndexParts {
  text: TextIndex;
  /** The vector dimensions, 0 while unknown. */
  dims: number;
  vectors: VectorStore | null;
}

/** What reading an index snapshot gave. */
export type IndexSnapshotRead =
  | { status: "ok"; parts: IndexParts; generation: number }
  | { status: "missing" }
  | { status: "other-format"; format: number; older: boolean }
  | { status: "damaged"; reason: string };

/** Section kinds; their numbers are part of the file format. */
const KIND = { meta: 1, text: 2, ids: 3, scales: 4, rows: 5, sketches: 6 } as const;
const VECTOR_KINDS = [KIND.ids, KIND.scales, KIND.rows, KIND.sketches];

type Numeric = Float64Array | Float32Array | Int8Array;

/** A copy of `a`'s bytes: the write is async, and the index may change meanwhile. */
function bytesOf(a: Numeric): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/** Writes `parts`, as they are when the call starts, to `path` atomically. */
export async function writeIndexSnapshot(
  path: string,
  parts: IndexParts,
  generation: number,
): Promise<void> {
  const data = parts.vectors?.data();
  const meta = Float64Array.of(parts.dims, parts.text.size, data?.ids.length ?? 0, generation);
  const sections: SnapshotSection[] = [
    { kind: KIND.meta, bytes: bytesOf(meta) },
    ...parts.text.toSections().map((bytes) => ({ kind: KIND.text, bytes })),
  ];
  if (data) {
    const arrays = [data.ids, data.scales, data.rows, data.sketches];
    arrays.forEach((a, i) => sections.push({ kind: VECTOR_KINDS[i]!, bytes: bytesOf(a) }));
  }
  await writeSnapshotFile(path, sections);
}

/** Reads a snapshot written by {@linkcode writeIndexSnapshot}; never throws. */
export async function readIndexSnapshot(path: string): Promise<IndexSnapshotRead> {
  const read = await readSnapshotFile(path);
  if (read.status !== "ok") return read;
  try {
    return decode(read.sections);
  } catch (error) {
    // The file passed the checksum, so a writer's bug made it: rebuild, and say why.
    return { status: "damaged", reason: (error as Error).message };
  }
}

function decode(sections: SnapshotSection[]): IndexSnapshotRead {
  const damaged = (reason: string): IndexSnapshotRead => ({ status: "damaged", reason });
  const [first, ...rest] = sections;
  if (first?.kind !== KIND.meta || first.bytes.length !== 32) return damaged("no header section");
  const [dims, count, vectors, generation] = view(Float64Array, first.bytes) as unknown as [
    number,
    number,
    number,
    number,
  ];
  if (![dims, count, vectors].every(isCount) || !Number.isFinite(generation)) {
    return damaged("bad header values");
  }
  let textEnd = 0;
  while (rest[textEnd]?.kind === KIND.text) textEnd++;
  const text = rest.slice(0, textEnd), vector = rest.slice(textEnd);
  const expected = vectors > 0 ? VECTOR_KINDS : [];
  if (
    vector.length !== expected.length || vector.some((s, i) => s.kind !== expected[i]) ||
    (vectors > 0 && dims === 0)
  ) return damaged("unexpected sections");
  const textIndex = TextIndex.fromSections(text.map((s) => s.bytes));
  if (textIndex.size !== count) return damaged(`${textIndex.size} texts, header says ${count}`);
  let store: VectorStore | null = null;
  if (vectors > 0) {
    const [ids, scales, rows, sketches] = vector.map((s) => s.bytes) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    store = VectorStore.fromData({
      dims,
      ids: view(Float64Array, ids),
      scales: view(Float32Array, scales),
      rows: view(Int8Array, rows),
      sketches: view(Float32Array, sketches),
    });
    if (store.size !== vectors) return damaged(`${store.size} vectors, header says ${vectors}`);
  }
  return { status: "ok", parts: { text: textIndex, dims, vectors: store }, generation };
}

/** A typed array over `bytes` in place; throws when the length is not whole elements. */
function view<T extends Numeric>(
  type: {
    new (buffer: ArrayBuffer, offset: number, length: number): T;
    BYTES_PER_ELEMENT: number;
    name: string;
  },
  bytes: Uint8Array,
): T {
  if (bytes.length % type.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`a section of ${bytes.length} bytes is not whole ${type.name} elements`);
  }
  return new type(
    bytes.buffer as ArrayBuffer,
    bytes.byteOffset,
    bytes.length / type.BYTES_PER_ELEMENT,
  );
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
