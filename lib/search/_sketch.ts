/**
 * A count sketch: a fixed random projection of a `dims`-vector onto `SKETCH_DIMS` buckets,
 * each input dimension added with a random sign into exactly one bucket. Inner products of
 * sketches estimate inner products of the vectors (Charikar, Chen, Farach-Colton 2002) at
 * O(dims) cost per vector. Snapshots store the sketches (recomputing them for 100k vectors
 * took 0.7 s of a cold start).
 */

import { seededRandom as mulberry32 } from "../core/mod.ts";

/** Number of sketch buckets (the first-stage scan dimension). */
export const SKETCH_DIMS = 128;

/** The bucket and sign of each input dimension, fixed by `dims` and the seed. */
export interface SketchPlan {
  readonly bucket: Uint16Array;
  readonly sign: Float32Array;
}

/**
 * Builds the projection for `dims` input dimensions. Deterministic: the same `dims` always
 * gives the same plan, so stored sketches stay valid. Changing the plan (seed, dealing)
 * changes what stored sketches mean: bump `SNAPSHOT_FORMAT` with it.
 */
export function sketchPlan(dims: number, seed = 0x5eed): SketchPlan {
  const random = mulberry32(seed ^ dims);
  const order = Array.from({ length: dims }, (_, i) => i);
  for (let i = dims - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const bucket = new Uint16Array(dims);
  const sign = new Float32Array(dims);
  // Dealt round-robin after a shuffle, so every bucket gets the same number of dimensions.
  for (let r = 0; r < dims; r++) bucket[order[r]!] = r % SKETCH_DIMS;
  for (let i = 0; i < dims; i++) sign[i] = random() < 0.5 ? -1 : 1;
  return { bucket, sign };
}

/** Writes the sketch of `values` (times `scale`) into `out` at `offset`. */
export function sketchInto(
  plan: SketchPlan,
  values: ArrayLike<number>,
  scale: number,
  out: Float32Array,
  offset: number,
): void {
  out.fill(0, offset, offset + SKETCH_DIMS);
  const { bucket, sign } = plan;
  for (let i = 0; i < bucket.length; i++) {
    const k = offset + bucket[i]!;
    out[k] = out[k]! + sign[i]! * values[i]! * scale;
  }
}
