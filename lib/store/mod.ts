/**
 * The store: SQLite (via node:sqlite, opened only here) as the source of truth
 * for documents, chunks, facts, episodes, lessons and procedures, with
 * versioned migrations, transactions and the index log search indexes follow.
 *
 * @module
 */
export { Store, type StoreOpenOptions } from "./store.ts";
export type {
  ChunkRow,
  DocumentRow,
  IndexableChunk,
  LibraryRepo,
  NewChunk,
  NewDocument,
} from "./library_repo.ts";
export type { Collection, IndexLog, LogEntry } from "./index_log.ts";
export type { FactRow, FactsRepo, FactType } from "./facts_repo.ts";
export type { ClaimRow, ClaimRowKind, ClaimsRepo, NewClaim } from "./claims_repo.ts";
export type {
  Episode,
  EpisodeFields,
  EpisodeIndexItem,
  EpisodesRepo,
  NewEpisode,
} from "./episodes_repo.ts";
export type { ProcedureIndexItem, ProcedureRow, ProceduresRepo } from "./procedures_repo.ts";
