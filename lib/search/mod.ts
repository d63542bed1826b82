/**
 * Search: one hybrid index per collection (our own BM25 inverted index with term frequency
 * and stemming, vectors in our own flat int8 store, fused by Reciprocal Rank Fusion),
 * snapshots for a fast start, and the pure ranking functions (RRF, recency decay,
 * user-document boost).
 * Pure: no SQLite, no model calls; the memory layer feeds it ids, texts and embeddings.
 *
 * @example
 * ```ts
 * import { HybridIndex } from "./mod.ts";
 *
 * const index = new HybridIndex({ dimensions: 768 });
 * index.add([{ id: 1, text: "backup schedule for the NAS", vector: embedding }]);
 * const hits = index.search({ text: "nas backups", vector: queryEmbedding, limit: 5 });
 * await index.saveSnapshot("library.snapshot", generation);
 * const restored = await HybridIndex.loadSnapshot("library.snapshot");
 * if (restored.status !== "loaded") rebuildFromStore(); // missing, older format, damaged
 * ```
 *
 * @module
 */

export { HybridIndex } from "./hybrid_index.ts";
export { searchTerms } from "./search_terms.ts";
export type {
  HybridIndexOptions,
  IndexItem,
  SearchHit,
  SearchMode,
  SearchQuery,
  SnapshotLoad,
} from "./hybrid_index.ts";
export {
  boostUserDocuments,
  EPISODE_HALF_LIFE_DAYS,
  LESSON_HALF_LIFE_DAYS,
  recencyDecay,
  USER_DOCUMENT_BOOST,
} from "./ranking.ts";
export type { SourcedHit } from "./ranking.ts";
