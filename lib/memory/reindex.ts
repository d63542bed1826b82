/** `library reindex`: embeds every chunk not yet embedded with the current embedding model. */

import type { Store } from "../store/mod.ts";
import { EMBED_BATCH_SIZE, type Embedder } from "./embedder.ts";

/** What a reindex did. */
export interface ReindexSummary {
  /** The embedding model the chunks were embedded with. */
  model: string;
  /** Chunks embedded in this run. */
  embedded: number;
  /** Chunks still to embed when the run stopped early (the server failed, or Ctrl-C). */
  remaining: number;
  /** Why the run stopped early, or null when it finished. */
  stoppedEarly: string | null;
}

/**
 * Re-embeds chunks in batches, committing each batch, so an interrupted run
 * keeps its work and the next one carries on.
 */
export async function reindexLibrary(
  store: Store,
  embedder: Embedder,
  options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<ReindexSummary> {
  const total = store.library.countToEmbed(embedder.model);
  let embedded = 0;
  options.onProgress?.(0, total);
  while (embedded < total) {
    if (options.signal?.aborted) return stop("interrupted");
    const batch = store.library.chunksToEmbed(embedder.model, EMBED_BATCH_SIZE);
    if (batch.length === 0) break;
    let vectors: number[][];
    try {
      vectors = await embedder.embed(batch.map((c) => c.text), options.signal);
    } catch (error) {
      return stop(options.signal?.aborted ? "interrupted" : (error as Error).message);
    }
    if (vectors.length !== batch.length) {
      return stop(`the embedding model returned ${vectors.length} vectors for ${batch.length}`);
    }
    store.library.setEmbeddings(
      embedder.model,
      batch.map((c, i) => ({ id: c.id, embedding: Float32Array.from(vectors[i] ?? []) })),
    );
    embedded += batch.length;
    options.onProgress?.(embedded, total);
  }
  return { model: embedder.model, embedded, remaining: 0, stoppedEarly: null };

  function stop(reason: string): ReindexSummary {
    return {
      model: embedder.model,
      embedded,
      remaining: store.library.countToEmbed(embedder.model),
      stoppedEarly: reason,
    };
  }
}
