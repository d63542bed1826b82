/** Searching the library: hybrid (BM25 + vectors) when an embedding model answers, else keywords. */

import { isMycoError } from "../core/mod.ts";
import type { HybridIndex, SearchHit } from "../search/mod.ts";
import type { Store } from "../store/mod.ts";
import type { Embedder } from "./embedder.ts";

/** One passage found. */
export interface LibraryHit {
  /** The chunk's id in the store. */
  chunk_id: number;
  /** The document's path, to cite it. */
  source: string;
  /** The document's title. */
  title: string;
  /** The heading the passage sits under, if any. */
  section: string | null;
  /** The document's kind (markdown, pdf, …). */
  doc_type: string;
  /** The file's modification date, for recency. */
  file_date: string | null;
  /** The fused RRF score (higher is better). */
  score: number;
  /** Rank among the keyword hits (1 = best), or null. */
  bm25_rank: number | null;
  /** Rank among the vector hits (1 = best), or null. */
  vector_rank: number | null;
  /** A short window of the text around the query's words, to show. */
  snippet: string;
  /** The whole chunk, for the prompt. */
  text: string;
}

/** The hits, how they were found, and anything the user should know once. */
export interface LibrarySearchResult {
  /** The passages, best first. */
  hits: LibraryHit[];
  /** "bm25" when there were no vectors to search: keyword search only. */
  mode: "hybrid" | "bm25";
  /** Things the user should be told once (e.g. no embedding model). */
  notes: string[];
}

/** Searches the library for `query`. */
export async function searchLibrary(
  query: string,
  deps: { store: Store; index: HybridIndex; embedder: Embedder | null; embedderProblem?: string },
  options: { limit?: number } = {},
): Promise<LibrarySearchResult> {
  const { store, index, embedder } = deps;
  const limit = options.limit ?? 5;
  const notes: string[] = [];
  let vector: number[] | null = null;
  if (embedder === null) {
    notes.push(`keyword search only: ${deps.embedderProblem ?? "no embedding model"}`);
  } else {
    const stale = store.library.embeddingModels()
      .filter((m) => m.model !== null && m.model !== embedder.model);
    for (const m of stale) {
      notes.push(
        `${m.chunks} chunks were embedded with ${m.model}, not ${embedder.model}: they are ` +
          "found by keywords only until you run `mycoswarm library reindex`",
      );
    }
    try {
      [vector] = (await embedder.embed([query])) as [number[]];
    } catch (error) {
      if (!isMycoError(error)) throw error;
      notes.push(`keyword search only: ${error.message}`);
    }
  }
  const hits = libraryHits(store, index.search({ text: query, vector, limit }), query);
  return { hits, mode: vector ? "hybrid" : "bm25", notes };
}

/** Index hits joined with their chunks and documents; chunks removed since are skipped. */
export function libraryHits(
  store: Store,
  found: readonly SearchHit[],
  query: string,
): LibraryHit[] {
  const rows = new Map(store.library.chunksByIds(found.map((h) => h.id)).map((r) => [r.id, r]));
  return found.flatMap((hit): LibraryHit[] => {
    const row = rows.get(hit.id);
    if (!row) return [];
    return [{
      chunk_id: row.id,
      source: row.source,
      title: row.title,
      section: row.section,
      doc_type: row.doc_type,
      file_date: row.file_date,
      score: hit.score,
      bm25_rank: hit.bm25Rank,
      vector_rank: hit.vectorRank,
      snippet: snippetOf(row.text, query),
      text: row.text,
    }];
  });
}

/**
 * A short passage around the first query word found in `text` (or its start),
 * on one line.
 */
export function snippetOf(text: string, query: string, width = 240): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  const words = query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
  const at = words.map((w) => lower.indexOf(w)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
  const start = at === undefined ? 0 : Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end).trim()}${end < flat.length ? "…" : ""}`;
}
