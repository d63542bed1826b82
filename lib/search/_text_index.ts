/**
 * BM25 over Orama: Orama's `create`/`insert`/`remove`/`search`/`save`/`load`, its radix-tree
 * inverted index and its BM25 scoring (`calculateResultScores`), with three components of
 * our own (see `_orama_components.ts`) so that the index holds only what BM25 needs.
 */

import { create, insert, load, remove, save, search } from "@orama/orama";
import type { RawData } from "@orama/orama";
import { createError } from "../core/mod.ts";
import { leanDocumentsStore, leanIndex, type LeanState } from "./_orama_components.ts";
import { createTokenizer } from "./_tokenizer.ts";

/** One BM25 hit: id and Orama's BM25 score. */
export interface TextHit {
  id: number;
  score: number;
}

const SCHEMA = { text: "string" } as const;
/** The top-level keys of Orama's raw data, one snapshot section each. */
const RAW_KEYS = ["internalDocumentIDStore", "index", "docs", "sorting", "pinning", "language"];

function createDb(state: LeanState) {
  return create({
    schema: SCHEMA,
    // Orama's sorter keeps a copy of every string property for sort-by; we never sort by text.
    sort: { enabled: false },
    components: {
      tokenizer: createTokenizer(),
      index: leanIndex(state),
      documentsStore: leanDocumentsStore(state),
    },
  });
}

type Db = ReturnType<typeof createDb>;

/** A BM25 index of texts keyed by numeric ids, backed by Orama. */
export class TextIndex {
  readonly #state: LeanState;
  readonly #db: Db;

  private constructor(state: LeanState, db: Db) {
    this.#state = state;
    this.#db = db;
  }

  /** An empty index. */
  static create(): TextIndex {
    const state: LeanState = { tokens: new Map() };
    return new TextIndex(state, createDb(state));
  }

  /**
   * Restores an index from {@linkcode TextIndex.toSections} output (no re-tokenising).
   * Throws `invalid_input` when the sections are not such output.
   */
  static fromSections(sections: readonly Uint8Array[]): TextIndex {
    if (sections.length !== RAW_KEYS.length) {
      throw createError(
        "invalid_input",
        `A text index has ${RAW_KEYS.length} sections, not ${sections.length}`,
      );
    }
    const decoder = new TextDecoder();
    const raw: Record<string, unknown> = {};
    try {
      RAW_KEYS.forEach((key, i) => raw[key] = JSON.parse(decoder.decode(sections[i])));
    } catch (cause) {
      throw createError("invalid_input", `A text index section is not JSON: ${cause}`, { cause });
    }
    const state: LeanState = { tokens: new Map() };
    const db = createDb(state);
    load(db, raw as unknown as RawData);
    return new TextIndex(state, db);
  }

  /**
   * The index as byte sections: Orama's raw data, one JSON section per top-level key (each
   * stays far below V8's string-length limit). Fresh bytes, unaffected by later changes.
   */
  toSections(): Uint8Array[] {
    const raw = save(this.#db) as unknown as Record<string, unknown>;
    const encoder = new TextEncoder();
    return RAW_KEYS.map((key) => encoder.encode(JSON.stringify(raw[key] ?? null)));
  }

  /** Documents held. */
  get size(): number {
    return this.#state.tokens.size;
  }

  /** True when `id` is indexed. */
  has(id: number): boolean {
    return this.#db.internalDocumentIDStore.idToInternalId.has(String(id)) &&
      this.#state.tokens.has(this.#internalId(id));
  }

  /** Indexes `text` under `id` (which must not be indexed yet). */
  add(id: number, text: string): void {
    sync(insert(this.#db, { id: String(id), text }), "insert");
  }

  /** Removes `id`; false when it was not indexed. */
  remove(id: number): boolean {
    if (!this.has(id)) return false;
    return sync(remove(this.#db, String(id)), "remove");
  }

  /**
   * The `limit` best BM25 matches for `text`, best first, ties to the lower id (except at
   * the `limit` cut, where Orama keeps the earlier-indexed).
   */
  search(text: string, limit: number): TextHit[] {
    if (limit < 1 || text.trim() === "") return [];
    const results = sync(search(this.#db, { term: text, limit, properties: ["text"] }), "search");
    return results.hits
      .map((hit) => ({ id: Number(hit.id), score: hit.score }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }

  #internalId(id: number): number {
    return this.#db.internalDocumentIDStore.idToInternalId.get(String(id)) ?? -1;
  }
}

/** Orama answers synchronously unless a component is async; ours never are. */
function sync<T>(value: T | Promise<T>, what: string): T {
  if (value instanceof Promise) {
    throw createError("internal", `Orama ${what} went asynchronous; the search index expects sync`);
  }
  return value;
}
