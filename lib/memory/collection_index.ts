/**
 * A search index kept in step with the store, one per collection (documents,
 * episodes, procedures): loaded from a snapshot when it is current, brought up to date by
 * replaying the store's index log when it is a little behind, rebuilt from
 * SQLite (with one warning) when it is missing, damaged or too far behind.
 */

import type { Logger } from "../core/mod.ts";
import { HybridIndex } from "../search/mod.ts";
import type { Collection, Store } from "../store/mod.ts";

/** What an index needs of one item: text to search and, maybe, its embedding. */
export interface SourceItem {
  id: number;
  /** A heading searched along with the text (a chunk's section title). */
  section?: string | null;
  text: string;
  embedding: Float32Array | null;
  embedding_model: string | null;
}

/** Where a collection's items come from in the store. */
export interface CollectionSource {
  collection: Collection;
  /** Every item, for a full build. */
  all(): Iterable<SourceItem>;
  /** The given items that still exist (others were deleted or hidden). */
  byIds(ids: readonly number[]): SourceItem[];
}

/** Procedures (problem and solution) as a collection source. */
export function proceduresSource(store: Store): CollectionSource {
  return {
    collection: "procedures",
    all: () => store.procedures.allIndexItems(),
    byIds: (ids) => store.procedures.indexItems(ids),
  };
}

/** The library's chunks as a collection source. */
export function documentsSource(store: Store): CollectionSource {
  return {
    collection: "documents",
    all: () => store.library.allIndexableChunks(),
    byIds: (ids) => store.library.indexableChunks(ids),
  };
}

/** Episode summaries and lessons (indexed, not quarantined) as a collection source. */
export function episodesSource(store: Store): CollectionSource {
  return {
    collection: "episodes",
    all: () => store.episodes.allIndexItems(),
    byIds: (ids) => store.episodes.indexItems(ids),
  };
}

/** What a user calls each collection, in messages. */
const COLLECTION_LABELS: Record<Collection, string> = {
  documents: "library",
  episodes: "episodes",
  procedures: "procedures",
};

/** After replaying more changes than this, the snapshot is rewritten (amortised, not per write). */
export const SNAPSHOT_REWRITE_AFTER = 500;

/** How the index was brought up. */
export type IndexOrigin = "snapshot" | "replayed" | "rebuilt";

/** The open index and how it got here. */
export interface OpenedIndex {
  /** The index, ready to search. */
  index: HybridIndex;
  /** Whether it came from a snapshot, a replay of the log or a rebuild. */
  origin: IndexOrigin;
  /** Changes replayed from the log (origin "replayed"). */
  replayed: number;
  /** The store's index-log position the index reflects. */
  generation: number;
}

/** What {@linkcode openCollectionIndex} needs. */
export interface CollectionIndexOptions {
  /** Where the snapshots live. */
  indexDir: string;
  /** The embedding model whose vectors the index holds (null: keyword search only). */
  vectorModel: string | null;
  /** Where a rebuild or an unreadable snapshot is reported. */
  logger: Logger;
}

/** The snapshot file of a collection for a vector model (each model has its own). */
export function snapshotPath(
  indexDir: string,
  vectorModel: string | null,
  collection: Collection = "documents",
): string {
  return snapshotFile(indexDir, vectorModel, collection);
}

function snapshotFile(indexDir: string, vectorModel: string | null, name: string): string {
  const slug = (vectorModel ?? "keywords-only").replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${indexDir}/${name}.${slug}.snapshot`;
}

/**
 * Collections renamed since their snapshots were first written, new name → old. Schema
 * version 2 renamed "sessions" to "episodes" and moved its index log entries along, so a
 * snapshot under the old name is still current: it is moved into place, not rebuilt.
 */
const FORMER_NAMES: Partial<Record<Collection, string>> = { episodes: "sessions" };

/** Moves the snapshot written under the collection's former name, if any, to `path`. */
async function adoptFormerSnapshot(
  path: string,
  collection: Collection,
  options: CollectionIndexOptions,
): Promise<void> {
  const former = FORMER_NAMES[collection];
  if (former === undefined || await exists(path)) return;
  try {
    await Deno.rename(snapshotFile(options.indexDir, options.vectorModel, former), path);
  } catch {
    // None to adopt, or another process moved it first: either way `path` is what counts.
  }
}

/** Opens the library's (documents) index. */
export function openLibraryIndex(
  store: Store,
  options: CollectionIndexOptions,
): Promise<OpenedIndex> {
  return openCollectionIndex(store, documentsSource(store), options);
}

/** Opens the search index of one collection. */
export async function openCollectionIndex(
  store: Store,
  source: CollectionSource,
  options: CollectionIndexOptions,
): Promise<OpenedIndex> {
  const { collection } = source;
  const path = snapshotPath(options.indexDir, options.vectorModel, collection);
  await adoptFormerSnapshot(path, collection, options);
  const generation = store.indexLog.lastSeq(collection);
  const found = await HybridIndex.loadSnapshot(path);
  const loaded = found.status === "loaded" ? found : null;
  if (loaded && loaded.generation === generation) {
    return { index: loaded.index, origin: "snapshot", replayed: 0, generation };
  }
  if (
    loaded && loaded.generation < generation &&
    store.indexLog.canReplayFrom(collection, loaded.generation)
  ) {
    const replayed = replay(store, source, loaded.index, loaded.generation, options.vectorModel);
    if (replayed > SNAPSHOT_REWRITE_AFTER) {
      await persist(store, collection, loaded.index, path, generation, options.logger);
    }
    return { index: loaded.index, origin: "replayed", replayed, generation };
  }
  const hadFile = found.status !== "missing";
  if (found.status === "other-format") {
    // Expected once after an upgrade, not a fault: progress, not a warning.
    options.logger.info(
      `search index for "${COLLECTION_LABELS[collection]}" is from ${
        found.older ? "an older" : "a newer"
      } version; rebuilding from the store (one time)…`,
    );
  } else if (hadFile) {
    options.logger.warn(
      `the search index snapshot ${path} was ${
        loaded ? "out of date" : "damaged or unreadable"
      }; rebuilt it from the database${found.status === "damaged" ? ` (${found.reason})` : ""}`,
    );
  }
  const index = rebuild(source, options.vectorModel);
  if (index.size > 0 || hadFile) {
    await persist(store, collection, index, path, generation, options.logger);
  }
  return { index, origin: "rebuilt", replayed: 0, generation };
}

/**
 * Brings an open index up to the store's latest change: nothing when there was none, the
 * log replayed when it still holds the changes, else the index opened afresh (snapshot
 * and log, or a rebuild). Long-lived processes (the daemon, a long chat) call it before
 * each search, so what another process wrote — an ingest, a reflection — is found. Costs
 * one query when nothing changed, and in proportion to the changes otherwise.
 */
export async function catchUpIndex(
  store: Store,
  source: CollectionSource,
  opened: OpenedIndex,
  options: CollectionIndexOptions,
): Promise<OpenedIndex> {
  const generation = store.indexLog.lastSeq(source.collection);
  if (generation === opened.generation) return opened;
  if (
    generation > opened.generation &&
    store.indexLog.canReplayFrom(source.collection, opened.generation)
  ) {
    const replayed = replay(store, source, opened.index, opened.generation, options.vectorModel);
    return { index: opened.index, origin: "replayed", replayed, generation };
  }
  return await openCollectionIndex(store, source, options);
}

/** Applies the store's changes after `fromSeq` to the index; returns how many there were. */
function replay(
  store: Store,
  source: CollectionSource,
  index: HybridIndex,
  fromSeq: number,
  vectorModel: string | null,
): number {
  const entries = store.indexLog.since(source.collection, fromSeq);
  // Only the last change to each item matters.
  const last = new Map<number, "add" | "remove">();
  for (const e of entries) last.set(e.item_id, e.op);
  const removed = [...last].filter(([, op]) => op === "remove").map(([id]) => id);
  const added = [...last].filter(([, op]) => op === "add").map(([id]) => id);
  index.remove(removed);
  const rows = source.byIds(added);
  const present = new Set(rows.map((r) => r.id));
  index.remove(added.filter((id) => !present.has(id))); // added, then deleted with its document
  index.add(rows.map((r) => toItem(r, vectorModel)));
  return entries.length;
}

function rebuild(source: CollectionSource, vectorModel: string | null): HybridIndex {
  const index = new HybridIndex();
  let batch: ReturnType<typeof toItem>[] = [];
  for (const chunk of source.all()) {
    batch.push(toItem(chunk, vectorModel));
    if (batch.length === 1000) {
      index.add(batch);
      batch = [];
    }
  }
  index.add(batch);
  return index;
}

/** Saves a snapshot; a failure only costs the next start a rebuild, so it is a warning. */
async function persist(
  store: Store,
  collection: Collection,
  index: HybridIndex,
  path: string,
  generation: number,
  logger: Logger,
) {
  try {
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await index.saveSnapshot(path, generation);
    store.indexLog.compact(collection, generation);
  } catch (error) {
    logger.warn(`could not save the search index snapshot ${path}: ${(error as Error).message}`);
  }
}

function toItem(chunk: SourceItem, vectorModel: string | null) {
  const vector = vectorModel !== null && chunk.embedding_model === vectorModel
    ? chunk.embedding
    : null;
  // The section title is searchable too: a chunk under "## Harvest" is about harvest.
  const text = chunk.section ? `${chunk.section}\n${chunk.text}` : chunk.text;
  return { id: chunk.id, text, vector };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
