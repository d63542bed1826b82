/**
 * The indexes recall searches — documents, episodes, procedures — opened on first use and
 * kept in step with the store before every search, so a long-lived process (the daemon, a
 * chat left open for hours) finds what other processes and its own reflections wrote.
 */

import type { Store } from "../store/mod.ts";
import {
  catchUpIndex,
  type CollectionIndexOptions,
  type CollectionSource,
  documentsSource,
  episodesSource,
  openCollectionIndex,
  type OpenedIndex,
  proceduresSource,
} from "./collection_index.ts";
import type { RecallIndexes } from "./recall.ts";

type Name = keyof RecallIndexes;

/** One store's recall indexes; `current()` may be called by several turns at once. */
export class RecallIndexSet {
  readonly #store: Store;
  readonly #options: CollectionIndexOptions;
  readonly #sources: Record<Name, CollectionSource>;
  #opened: Record<Name, OpenedIndex> | null = null;
  /** Catch-ups run one at a time: two replays of the same changes must not interleave. */
  #queue: Promise<RecallIndexes> | null = null;

  /** Opens no index yet: each is built or loaded on the first `current()`. */
  constructor(store: Store, options: CollectionIndexOptions) {
    this.#store = store;
    this.#options = options;
    this.#sources = {
      documents: documentsSource(store),
      episodes: episodesSource(store),
      procedures: proceduresSource(store),
    };
  }

  /** The indexes, up to date with the store's latest change. */
  current(): Promise<RecallIndexes> {
    const previous = this.#queue ?? Promise.resolve(null);
    const next = previous.catch(() => null).then(() => this.#update());
    this.#queue = next;
    return next;
  }

  async #update(): Promise<RecallIndexes> {
    const names = Object.keys(this.#sources) as Name[];
    const opened = await Promise.all(names.map((name) => {
      const source = this.#sources[name];
      const was = this.#opened?.[name];
      return was === undefined
        ? openCollectionIndex(this.#store, source, this.#options)
        : catchUpIndex(this.#store, source, was, this.#options);
    }));
    this.#opened = Object.fromEntries(names.map((n, i) => [n, opened[i]!])) as Record<
      Name,
      OpenedIndex
    >;
    return Object.fromEntries(
      names.map((n, i) => [n, opened[i]!.index]),
    ) as unknown as RecallIndexes;
  }
}
