/**
 * Okapi BM25 (Robertson et al.), with the non-negative IDF Lucene uses: a term found in more
 * than half the documents still counts a little instead of subtracting.
 *
 *   idf(t)    = ln(1 + (N − df + 0.5) / (df + 0.5))
 *   score(d)  = Σ idf(t) · tf·(k1 + 1) / (tf + k1·(1 − b + b·dl/avgdl))
 *
 * N documents, df of them holding t, tf occurrences of t in d, dl the length of d in tokens,
 * avgdl the mean length.
 */

/** Term-frequency saturation: the second occurrence of a term adds less than the first. */
export const BM25_K1 = 1.2;
/** Length normalisation: 0 ignores a document's length, 1 divides tf by it fully. */
export const BM25_B = 0.75;

/** The IDF of a term held by `df` of `docs` documents. */
export function bm25Idf(docs: number, df: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

/** One term's share of a document's score: `tf` occurrences in `length` tokens. */
export function bm25TermScore(idf: number, tf: number, length: number, avgLength: number): number {
  const norm = BM25_K1 * (1 - BM25_B + BM25_B * length / avgLength);
  return idf * tf * (BM25_K1 + 1) / (tf + norm);
}
