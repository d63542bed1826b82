/** What the memory layer needs from an embedding model; lib/llm provides it. */

/** Turns texts into vectors with one named model. */
export interface Embedder {
  /** The model's name, recorded with every vector it makes. */
  readonly model: string;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

/** How many texts go to the model in one request. */
export const EMBED_BATCH_SIZE = 32;

/** Embeds texts in batches of {@linkcode EMBED_BATCH_SIZE}, calling `onBatch` after each. */
export async function embedInBatches(
  embedder: Embedder,
  texts: readonly string[],
  options: { onBatch?: (done: number) => void; signal?: AbortSignal } = {},
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH_SIZE) {
    const batch = texts.slice(start, start + EMBED_BATCH_SIZE);
    const vectors = await embedder.embed(batch, options.signal);
    if (vectors.length !== batch.length) {
      throw new Error(`the embedding model returned ${vectors.length} vectors for ${batch.length}`);
    }
    for (const v of vectors) out.push(Float32Array.from(v));
    options.onBatch?.(out.length);
  }
  return out;
}
