/**
 * Memory: the document library (ingestion and search), facts, episodes (what each
 * session was about: its reflection, grounded), procedures, and recall over them.
 *
 * @module
 */
export * from "./embedder.ts";
export * from "./ingest.ts";
export { docTypeOf } from "./extract_text.ts";
export * from "./collection_index.ts";
export * from "./library_search.ts";
export * from "./reindex.ts";
export * from "./reflection.ts";
export * from "./episodes.ts";
export * from "./facts.ts";
export * from "./grounding.ts";
export * from "./self_correction.ts";
export * from "./procedure_candidates.ts";
export * from "./recall.ts";
export * from "./recall_indexes.ts";
