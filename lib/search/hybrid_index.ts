/**
 * One collection's hybrid index: our own BM25 index (term frequency, stemming) plus a flat
 * int8 vector store, fused by Reciprocal Rank Fusion weighted by how far each ranking can be
 * trusted for the query (`trustWeightedFusion`). Holds ids and what ranking needs, never the texts (those
 * live in SQLite). Adding or removing items costs in proportion to those items.
 */

import { createError } from "../core/mod.ts";
import { readIndexSnapshot, writeIndexSnapshot } from "./_index_snapshot.ts";
import { TextIndex } from "./_text_index.ts";
import { VectorStore } from "./_vector_store.ts";
import { RRF_K, type ScoredRanking, trustWeightedFusion } from "./ranking.ts";

/** One chunk to index: its SQLite rowid, its text and its embedding (null without a model). */
export interface IndexItem {
  /** The caller's id, returned in hits. */
  readonly id: number;
  /** The text BM25 indexes. */
  readonly text: string;
  /** The embedding, or null to index the text only. */
  readonly vector: Float32Array | readonly number[] | null;
}

/** `hybrid` fuses BM25 and vector rankings; `bm25` and `vector` use one of them. */
export type SearchMode = "hybrid" | "bm25" | "vector";

/** A search request. */
export interface SearchQuery {
  /** Keywords for BM25. */
  readonly text?: string;
  /** The query's embedding; without one, search is BM25 only. */
  readonly vector?: Float32Array | readonly number[] | null;
  /** Hits to return. @default {10} */
  readonly limit?: number;
  /** Which half to use; the default fuses both. @default {"hybrid" with a vector, else "bm25"} */
  readonly mode?: SearchMode;
  /** How deep each ranking goes before fusion. @default {100} */
  readonly depth?: number;
}

/** One search hit: the fused RRF score and the hit's rank (from 1) in each ranking. */
export interface SearchHit {
  /** The item's id. */
  readonly id: number;
  /** The fused score, higher first. */
  readonly score: number;
  /** Rank in the BM25 results (1 = best), or null when not among them. */
  readonly bm25Rank: number | null;
  /** Rank in the vector results (1 = best), or null when not among them. */
  readonly vectorRank: number | null;
  /**
   * Cosine similarity to the query vector (an absolute measure, unlike the ranks), or null
   * when not among the vector results.
   */
  readonly similarity: number | null;
}

/** Options for {@linkcode HybridIndex}. */
export interface HybridIndexOptions {
  /** Vector dimensions; when absent, taken from the first vector added. */
  readonly dimensions?: number;
}

/** What {@linkcode HybridIndex.loadSnapshot} found. */
export type SnapshotLoad =
  /** The index, and the store generation it reflects. */
  | { readonly status: "loaded"; readonly index: HybridIndex; readonly generation: number }
  /** No file at the path. */
  | { readonly status: "missing" }
  /** A snapshot of another format version, written by an `older` or newer mycoswarm: rebuild it. */
  | { readonly status: "other-format"; readonly format: number; readonly older: boolean }
  /** Truncated, damaged or unreadable: rebuild it. `reason` says what was wrong. */
  | { readonly status: "damaged"; readonly reason: string };

const DEFAULT_LIMIT = 10;
const DEFAULT_DEPTH = 100;

/**
 * A hybrid (BM25 + vector) index of one collection's chunks.
 *
 * @example
 * ```ts
 * const index = new HybridIndex();
 * index.add([{ id: 1, text: "backup schedule for the NAS", vector: null }]);
 * index.search({ text: "backup" });
 * // [{ id: 1, score: 1/61, bm25Rank: 1, vectorRank: null, similarity: null }]
 * ```
 */
export class HybridIndex {
  #text: TextIndex;
  #dims: number;
  #vectors: VectorStore | null;

  /** An empty index; fill it with `add` or restore one with `loadSnapshot`. */
  constructor(options: HybridIndexOptions = {}) {
    this.#text = TextIndex.create();
    this.#dims = 0;
    this.#vectors = null;
    if (options.dimensions !== undefined) this.#setDimensions(options.dimensions);
  }

  /** Items held (with or without a vector). */
  get size(): number {
    return this.#text.size;
  }

  /** Items held with a vector. */
  get vectorCount(): number {
    return this.#vectors?.size ?? 0;
  }

  /** Vector dimensions, or null until the first vector (or the constructor) fixes them. */
  get dimensions(): number | null {
    return this.#dims || null;
  }

  /** True when `id` is indexed. */
  has(id: number): boolean {
    return this.#text.has(id);
  }

  /**
   * Adds items; an id already present is replaced. All items are checked first, so a bad
   * one (id, text, vector dimensions) throws `invalid_input` and changes nothing.
   */
  add(items: Iterable<IndexItem>): void {
    const batch = [...items];
    let dims = this.#dims;
    for (const item of batch) {
      if (!Number.isSafeInteger(item.id)) {
        throw createError("invalid_input", `Index item id must be an integer, not ${item.id}`);
      }
      if (typeof item.text !== "string") {
        throw createError("invalid_input", `Index item ${item.id} has no text`);
      }
      if (!item.vector) continue;
      if (item.vector.length === 0) {
        throw createError("invalid_input", `The vector of item ${item.id} is empty`);
      }
      dims ||= item.vector.length;
      if (item.vector.length !== dims) throw dimensionError(item.vector.length, dims, item.id);
      if (!item.vector.every(Number.isFinite)) {
        throw createError("invalid_input", `The vector of item ${item.id} has a non-finite value`);
      }
    }
    if (dims && !this.#dims) this.#setDimensions(dims);
    for (const item of batch) {
      this.#text.remove(item.id);
      this.#text.add(item.id, item.text);
      if (item.vector) this.#vectors!.set(item.id, item.vector);
      else this.#vectors?.delete(item.id);
    }
  }

  /** Removes items by id; returns how many were present. */
  remove(ids: Iterable<number>): number {
    let removed = 0;
    for (const id of ids) {
      if (this.#text.remove(id)) removed++;
      this.#vectors?.delete(id);
    }
    return removed;
  }

  /**
   * Searches the index. Hybrid mode fuses the BM25 and vector rankings by RRF (k = 60)
   * weighted by how far each can be trusted for this query (`trustWeightedFusion`: plain
   * RRF when their heads agree); one-ranking modes score 1 / (60 + rank). Without a query
   * vector, hybrid mode is BM25 only. Ties go to the lower id.
   */
  search(query: SearchQuery): SearchHit[] {
    const limit = wholeNumber("limit", query.limit ?? DEFAULT_LIMIT);
    const depth = Math.max(limit, wholeNumber("depth", query.depth ?? DEFAULT_DEPTH));
    const vector = query.vector ?? null;
    const mode = query.mode ?? (vector ? "hybrid" : "bm25");
    if (mode === "vector" && !vector) {
      throw createError("invalid_input", "Vector search needs a query vector");
    }
    if (vector && this.#dims && vector.length !== this.#dims) {
      throw dimensionError(vector.length, this.#dims);
    }
    if (limit < 1) return [];
    const bm25 = mode === "vector" ? [] : this.#text.search(query.text ?? "", depth);
    const nearest = mode === "bm25" || !vector || !this.#vectors
      ? []
      : this.#vectors.search(vector, depth);
    const similarity = new Map(nearest.map((h) => [h.id, h.score]));
    // One ranking alone (the other empty) counts as agreeing: plain RRF, i.e. its own order.
    const { scores: fused } = trustWeightedFusion(scored(bm25), scored(nearest), RRF_K);
    const rank = (list: number[]) => new Map(list.map((id, i) => [id, i + 1]));
    const bm25Ranks = rank(bm25.map((h) => h.id)), vectorRanks = rank(nearest.map((h) => h.id));
    return [...fused]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit)
      .map(([id, score]) => ({
        id,
        score,
        bm25Rank: bm25Ranks.get(id) ?? null,
        vectorRank: vectorRanks.get(id) ?? null,
        similarity: similarity.get(id) ?? null,
      }));
  }

  /**
   * Writes a snapshot to `path` atomically (temp file + rename): the text index's sections
   * and the vector store's arrays, under a header with the format version, dimensions,
   * counts, `generation` (the store's counter, to detect staleness) and a CRC-32.
   */
  async saveSnapshot(path: string, generation: number): Promise<void> {
    if (!Number.isFinite(generation)) {
      throw createError("invalid_input", `Snapshot generation must be a number, not ${generation}`);
    }
    await writeIndexSnapshot(
      path,
      { text: this.#text, dims: this.#dims, vectors: this.#vectors },
      generation,
    );
  }

  /**
   * Loads a snapshot written by {@linkcode HybridIndex.saveSnapshot}, viewing its arrays in
   * the file's bytes rather than parsing them. Never throws: a missing file, one of another
   * format version, or a truncated or damaged one comes back as such, for the caller to
   * rebuild from the store. Nothing of a file is used unless all of it is.
   */
  static async loadSnapshot(path: string): Promise<SnapshotLoad> {
    const read = await readIndexSnapshot(path);
    if (read.status !== "ok") return read;
    const index = new HybridIndex();
    index.#text = read.parts.text;
    index.#dims = read.parts.dims;
    index.#vectors = read.parts.vectors ??
      (read.parts.dims ? new VectorStore(read.parts.dims) : null);
    return { status: "loaded", index, generation: read.generation };
  }

  #setDimensions(dims: number): void {
    this.#vectors = new VectorStore(dims);
    this.#dims = dims;
  }
}

/** The hits' ids and scores, as the fusion takes them. */
function scored(hits: readonly { id: number; score: number }[]): ScoredRanking<number> {
  return { ids: hits.map((h) => h.id), scores: hits.map((h) => h.score) };
}

/** `value`, when a whole number (a query's limit or depth); an invalid_input error otherwise. */
function wholeNumber(name: string, value: number): number {
  if (Number.isSafeInteger(value)) return value;
  throw createError("invalid_input", `The search ${name} must be a whole number, not ${value}`);
}

function dimensionError(got: number, want: number, id?: number): Error {
  const what = id === undefined ? "The query vector" : `The vector of item ${id}`;
  return createError(
    "invalid_input",
    `${what} has ${got} dimensions, the index holds ${want}: embed with the index's model ` +
      "or rebuild the index",
  );
}
