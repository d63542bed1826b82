/**
 * Our own flat vector store: unit-normalised vectors quantised to int8 rows (one float scale
 * per row) in one contiguous buffer grown by doubling, a count sketch of every row for a fast
 * first-stage scan, and a slot ↔ id map with swap-remove, so adding or removing a vector
 * costs O(dims) whatever the store's size. Cosine similarity is the dot product of unit
 * vectors; int8 keeps ranking error near 1e-3 of a cosine at a quarter of float32's memory.
 */

import { createError } from "../core/mod.ts";
import { SKETCH_DIMS, sketchInto, type SketchPlan, sketchPlan } from "./_sketch.ts";
import { TopK } from "./_top_k.ts";

/** Below this many rows the sketch stage is skipped: scanning every row exactly is as cheap. */
const EXACT_SCAN_MAX_ROWS = 2048;

/** One vector hit: id and cosine similarity. */
export interface VectorHit {
  id: number;
  score: number;
}

/** The raw arrays of a store, for snapshots: one entry per vector, in slot order. */
export interface VectorStoreData {
  dims: number;
  ids: Float64Array;
  scales: Float32Array;
  /** `dims` int8 components per vector. */
  rows: Int8Array;
  /** `SKETCH_DIMS` floats per vector, as `sketchPlan(dims)` makes them. */
  sketches: Float32Array;
}

/** Flat int8 vector store with a two-stage (sketch, then exact) nearest-neighbour search. */
export class VectorStore {
  readonly dims: number;
  readonly #plan: SketchPlan;
  #ids: Float64Array;
  #scales: Float32Array;
  #rows: Int8Array;
  #sketches: Float32Array;
  readonly #slotOf = new Map<number, number>();
  readonly #scratch: Float32Array;

  constructor(dims: number, capacity = 64) {
    if (!Number.isInteger(dims) || dims < 1) {
      throw createError(
        "invalid_input",
        `Vector dimensions must be a positive integer, not ${dims}`,
      );
    }
    this.dims = dims;
    this.#plan = sketchPlan(dims);
    this.#ids = new Float64Array(capacity);
    this.#scales = new Float32Array(capacity);
    this.#rows = new Int8Array(capacity * dims);
    this.#sketches = new Float32Array(capacity * SKETCH_DIMS);
    this.#scratch = new Float32Array(dims);
  }

  /** Vectors held. */
  get size(): number {
    return this.#slotOf.size;
  }

  /** True when a vector is held for `id`. */
  has(id: number): boolean {
    return this.#slotOf.has(id);
  }

  /** Stores (or replaces) the vector of `id`. Throws `invalid_input` on a bad vector. */
  set(id: number, vector: ArrayLike<number>): void {
    const unit = this.#normalise(vector);
    let slot = this.#slotOf.get(id);
    if (slot === undefined) {
      slot = this.size;
      if (slot === this.#ids.length) this.#grow(Math.max(64, slot * 2));
      this.#slotOf.set(id, slot);
      this.#ids[slot] = id;
    }
    this.#writeRow(slot, unit);
  }

  /** Forgets the vector of `id` (the last row moves into its slot). False when absent. */
  delete(id: number): boolean {
    const slot = this.#slotOf.get(id);
    if (slot === undefined) return false;
    const last = this.size - 1;
    if (slot !== last) {
      const dims = this.dims;
      const movedId = this.#ids[last]!;
      this.#ids[slot] = movedId;
      this.#scales[slot] = this.#scales[last]!;
      this.#rows.copyWithin(slot * dims, last * dims, (last + 1) * dims);
      this.#sketches.copyWithin(slot * SKETCH_DIMS, last * SKETCH_DIMS, (last + 1) * SKETCH_DIMS);
      this.#slotOf.set(movedId, slot);
    }
    this.#slotOf.delete(id);
    return true;
  }

  /**
   * The `limit` nearest vectors to `query` by cosine similarity, best first (ties: lower id).
   * Above {@linkcode EXACT_SCAN_MAX_ROWS} rows, the `candidates` best by sketch are re-ranked
   * exactly; below, every row is scored exactly.
   */
  search(query: ArrayLike<number>, limit: number, candidates = 1000): VectorHit[] {
    const unit = this.#normalise(query);
    const n = this.size;
    if (n === 0 || limit < 1) return [];
    // Capped at the rows: a limit of Infinity or 1e9 must not size the heap.
    const exact = new TopK(Math.min(limit, n));
    if (n <= EXACT_SCAN_MAX_ROWS) {
      for (let slot = 0; slot < n; slot++) exact.push(slot, this.#dot(unit, slot));
    } else {
      const pool = new TopK(Math.min(Math.max(limit, candidates), n));
      this.#sketchScan(unit, pool);
      for (const slot of pool.sorted().keys) exact.push(slot, this.#dot(unit, slot));
    }
    const { keys, scores } = exact.sorted();
    const hits = keys.map((slot, i) => ({ id: this.#ids[slot]!, score: scores[i]! }));
    return hits.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  /** The raw arrays (views, trimmed to size), for a snapshot. */
  data(): VectorStoreData {
    const n = this.size;
    return {
      dims: this.dims,
      ids: this.#ids.subarray(0, n),
      scales: this.#scales.subarray(0, n),
      rows: this.#rows.subarray(0, n * this.dims),
      sketches: this.#sketches.subarray(0, n * SKETCH_DIMS),
    };
  }

  /**
   * A store over snapshot arrays, kept as they are (no copy, nothing recomputed): the store
   * writes into them from now on, so the caller hands them over. The first vector added
   * moves them into buffers of the store's own. Throws `invalid_input` when the lengths
   * disagree or an id is not a unique integer.
   */
  static fromData(data: VectorStoreData): VectorStore {
    const n = data.ids.length;
    if (
      data.scales.length !== n || data.rows.length !== n * data.dims ||
      data.sketches.length !== n * SKETCH_DIMS
    ) {
      throw createError(
        "invalid_input",
        `Vector store data disagrees with itself: ${n} ids, ${data.scales.length} scales, ` +
          `${data.rows.length} row values and ${data.sketches.length} sketch values for ` +
          `${data.dims} dimensions`,
      );
    }
    const store = new VectorStore(data.dims, 0);
    store.#ids = data.ids;
    store.#scales = data.scales;
    store.#rows = data.rows;
    store.#sketches = data.sketches;
    for (let slot = 0; slot < n; slot++) {
      const id = data.ids[slot]!;
      if (!Number.isSafeInteger(id) || store.#slotOf.has(id)) {
        throw createError("invalid_input", `Vector store data holds id ${id} twice or malformed`);
      }
      store.#slotOf.set(id, slot);
    }
    return store;
  }

  #sketchScan(unit: Float32Array, pool: TopK): void {
    const q = new Float32Array(SKETCH_DIMS);
    sketchInto(this.#plan, unit, 1, q, 0);
    const sk = this.#sketches, n = this.size;
    for (let slot = 0, base = 0; slot < n; slot++, base += SKETCH_DIMS) {
      let s = 0;
      for (let j = 0; j < SKETCH_DIMS; j += 4) {
        s += q[j]! * sk[base + j]! + q[j + 1]! * sk[base + j + 1]! +
          q[j + 2]! * sk[base + j + 2]! + q[j + 3]! * sk[base + j + 3]!;
      }
      if (s > pool.floor) pool.push(slot, s);
    }
  }

  #dot(unit: Float32Array, slot: number): number {
    const rows = this.#rows, dims = this.dims, base = slot * dims;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
    for (; i + 4 <= dims; i += 4) {
      s0 += unit[i]! * rows[base + i]!;
      s1 += unit[i + 1]! * rows[base + i + 1]!;
      s2 += unit[i + 2]! * rows[base + i + 2]!;
      s3 += unit[i + 3]! * rows[base + i + 3]!;
    }
    for (; i < dims; i++) s0 += unit[i]! * rows[base + i]!;
    return (s0 + s1 + s2 + s3) * this.#scales[slot]!;
  }

  #writeRow(slot: number, unit: Float32Array): void {
    let max = 0;
    for (let i = 0; i < unit.length; i++) max = Math.max(max, Math.abs(unit[i]!));
    const scale = max / 127;
    const inv = scale === 0 ? 0 : 1 / scale;
    const base = slot * this.dims;
    for (let i = 0; i < unit.length; i++) this.#rows[base + i] = Math.round(unit[i]! * inv);
    this.#scales[slot] = scale;
    this.#sketchRow(slot);
  }

  #sketchRow(slot: number): void {
    const dims = this.dims;
    const row = this.#rows.subarray(slot * dims, (slot + 1) * dims);
    sketchInto(this.#plan, row, this.#scales[slot]!, this.#sketches, slot * SKETCH_DIMS);
  }

  #normalise(vector: ArrayLike<number>): Float32Array {
    if (vector.length !== this.dims) {
      throw createError(
        "invalid_input",
        `Vector has ${vector.length} dimensions, the index holds ${this.dims}: ` +
          "embed with the same model as the index, or rebuild it",
      );
    }
    const out = this.#scratch;
    let max = 0;
    for (let i = 0; i < this.dims; i++) {
      const x = vector[i]!;
      if (!Number.isFinite(x)) {
        throw createError("invalid_input", `Vector component ${i} is ${x}, not a finite number`);
      }
      max = Math.max(max, Math.abs(x));
    }
    // Divided by the largest component first, in float64: squares of finite components can
    // overflow (1e200) or underflow (1e-320), and a component can exceed float32 (1e39).
    if (max === 0) return out.fill(0);
    let norm = 0;
    for (let i = 0; i < this.dims; i++) norm += (vector[i]! / max) ** 2;
    const root = Math.sqrt(norm);
    for (let i = 0; i < this.dims; i++) out[i] = vector[i]! / max / root;
    return out;
  }

  #grow(capacity: number): void {
    const grow = <T extends Float64Array | Float32Array | Int8Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.#ids = grow(this.#ids, capacity);
    this.#scales = grow(this.#scales, capacity);
    this.#rows = grow(this.#rows, capacity * this.dims);
    this.#sketches = grow(this.#sketches, capacity * SKETCH_DIMS);
  }
}
