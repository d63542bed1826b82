/**
 * The two engines the retrieval benchmark compares: our `HybridIndex` and plain stock
 * Orama (default components, `vector[768]` property, vectors in the documents, `search`
 * with mode "hybrid"). Stock Orama is imported here only, as the benchmark's baseline.
 */

import { create, insertMultiple, load, save, search } from "@orama/orama";
import { HybridIndex } from "../../lib/search/mod.ts";
import { DIMENSIONS, type SyntheticItem } from "./retrieval_data.ts";

/** Stock Orama drops vector hits below this cosine. Its default, 0.8, would drop every hit
 * in this synthetic library (nearest neighbours sit at 0.3–0.5), leaving it BM25 only. */
export const STOCK_SIMILARITY = 0.2;

/** What the benchmark does with an engine. */
export interface Engine {
  add(batch: readonly SyntheticItem[]): void;
  hybrid(q: SyntheticItem, limit: number): number[];
  bm25(q: SyntheticItem, limit: number): number[];
  vector(q: SyntheticItem, limit: number): number[];
  /** Writes a snapshot; its size in bytes. */
  save(path: string): Promise<number>;
}

/** Our hybrid index. */
export function ourEngine(index = new HybridIndex({ dimensions: DIMENSIONS })): Engine {
  const ids = (hits: { id: number }[]) => hits.map((h) => h.id);
  return {
    add: (batch) => index.add(batch),
    hybrid: (q, limit) => ids(index.search({ text: q.text, vector: q.vector, limit })),
    bm25: (q, limit) => ids(index.search({ text: q.text, limit, mode: "bm25" })),
    vector: (q, limit) => ids(index.search({ vector: q.vector, limit, mode: "vector" })),
    save: async (path) => {
      await index.saveSnapshot(path, 1);
      return (await Deno.stat(path)).size;
    },
  };
}

const STOCK_SCHEMA = { text: "string", embedding: `vector[${DIMENSIONS}]` } as const;

/** A stock Orama instance, empty. */
export function createStock() {
  return create({ schema: STOCK_SCHEMA });
}

type Stock = ReturnType<typeof createStock>;

/** Stock Orama answering a hybrid query (exported for the cold-start child). */
export function stockHybrid(db: Stock, text: string, vector: number[], limit: number): number[] {
  return syncIds(search(db, {
    mode: "hybrid",
    term: text,
    vector: { value: vector, property: "embedding" },
    similarity: STOCK_SIMILARITY,
    limit,
  }));
}

/** Plain stock Orama; its snapshot is `JSON.stringify(save(db))`, the documented way. */
export function stockEngine(db: Stock = createStock()): Engine & { db: Stock } {
  return {
    db,
    add(batch) {
      const docs = batch.map((c) => ({
        id: String(c.id),
        text: c.text,
        embedding: Array.from(c.vector),
      }));
      const done = insertMultiple(db, docs, docs.length);
      if (done instanceof Promise) throw new Error("stock Orama insertMultiple went async");
    },
    hybrid: (q, limit) => stockHybrid(db, q.text, Array.from(q.vector), limit),
    bm25: (q, limit) => syncIds(search(db, { term: q.text, limit })),
    vector: (q, limit) =>
      syncIds(search(db, {
        mode: "vector",
        vector: { value: Array.from(q.vector), property: "embedding" },
        similarity: STOCK_SIMILARITY,
        limit,
      })),
    save: async (path) => {
      await Deno.writeTextFile(path, JSON.stringify(save(db)));
      return (await Deno.stat(path)).size;
    },
  };
}

/** Restores stock Orama from its JSON snapshot. */
export async function loadStock(path: string): Promise<Stock> {
  const db = createStock();
  load(db, JSON.parse(await Deno.readTextFile(path)));
  return db;
}

// Orama's search is synchronous with stock components, but typed as maybe-async; the
// benchmark times the synchronous call, so refuse anything else rather than time a promise.
function syncIds(result: unknown): number[] {
  if (result instanceof Promise) throw new Error("stock Orama search went async");
  return (result as { hits: { id: string }[] }).hits.map((h) => Number(h.id));
}
