/**
 * Memory: the document library (ingestion and search), facts, episodes (what each
 * session was about: its reflection, grounded), procedures, and recall over them.
 *
 * @module
 */
export type { Embedder } from "./embedder.ts";
export { ingestPaths } from "./ingest.ts";
export type { IngestDeps, IngestItem, IngestProgress, IngestSummary } from "./ingest.ts";
export { openLibraryIndex } from "./collection_index.ts";
export type { CollectionIndexOptions, IndexOrigin, OpenedIndex } from "./collection_index.ts";
export { searchLibrary } from "./library_search.ts";
export type { LibraryHit, LibrarySearchResult } from "./library_search.ts";
export { reindexLibrary } from "./reindex.ts";
export type { ReindexSummary } from "./reindex.ts";
export { MIN_MESSAGES_TO_REFLECT, recordEpisode } from "./episodes.ts";
export type { EpisodeDeps, EpisodeInput, EpisodeResult, StoredClaimVerdict } from "./episodes.ts";
export { factsUsedIn, isStale, parseFactText } from "./facts.ts";
export { FACTS_BUDGET_SHARE, factsPromptSection } from "./facts_prompt.ts";
export type { FactsSection, FactsSectionOptions } from "./facts_prompt.ts";
export { groundReflection } from "./claim_grounding.ts";
export type { ClaimVerdict, MemoryClaim, ReflectionVerdict } from "./claim_grounding.ts";
export { CLAIM_LIMITS } from "./claims.ts";
export type { Claim, ClaimKind, ReflectionParts } from "./claims.ts";
export { claimsOf, vouchedClaims } from "./episode_claims.ts";
export type { EpisodeClaim } from "./episode_claims.ts";
export { TONES } from "./reflection.ts";
export { REFLECT_LAST_MESSAGES } from "./reflection.ts";
export type { ReflectedMessage, Reflection, Tone } from "./reflection.ts";
export { proposeProcedures } from "./procedure_candidates.ts";
export type { ProcedureCandidate } from "./procedure_candidates.ts";
export { embedQuery, recall } from "./recall.ts";
export type {
  QueryEmbedding,
  RecallDeps,
  RecalledDocument,
  RecalledEpisode,
  RecallIndexes,
  RecallResult,
  RememberedEpisode,
  WithheldClaim,
} from "./recall.ts";
export { RecallIndexSet } from "./recall_indexes.ts";
