/**
 * The store: SQLite (via node:sqlite, opened only here) as the source of truth
 * for documents, chunks, facts, episodes, lessons and procedures, with
 * versioned migrations, transactions and the index log search indexes follow.
 *
 * @module
 */
export { Store } from "./store.ts";
export type {
  ChunkRow,
  DocumentRow,
  IndexableChunk,
  NewChunk,
  NewDocument,
} from "./library_repo.ts";
export type { Collection, LogEntry } from "./index_log.ts";
export type { FactRow, FactType } from "./facts_repo.ts";
export { LESSON_ID_OFFSET } from "./episodes_repo.ts";
export type { Episode, EpisodeIndexItem, NewEpisode } from "./episodes_repo.ts";
export { SCHEMA_VERSION } from "./migrations.ts";
export { blobToVector, vectorToBlob } from "./vectors.ts";
export type { ProcedureRow } from "./procedures_repo.ts";
