/**
 * Pure ranking functions: Reciprocal Rank Fusion (plain, and weighted by how far each
 * ranking can be trusted for the query), recency decay and the user-document boost.
 * No I/O, no clock: `now` is passed in.
 */

import { createError } from "../core/mod.ts";

/** RRF's k: damps the head of each ranking (Cormack, Clarke, Büttcher 2009 use 60). */
export const RRF_K = 60;

/** Recency half-life for dated items such as episodes (session reflections), in days. */
export const EPISODE_HALF_LIFE_DAYS = 30;

/** Recency half-life for lessons, which stay useful longer, in days. */
export const LESSON_HALF_LIFE_DAYS = 60;

/** Recency decay never drops a hit below this factor: old is not worthless. */
export const RECENCY_FLOOR = 0.1;

/** Decay factor for an item whose date is missing or unreadable: neither fresh nor stale. */
export const UNDATED_DECAY = 0.5;

/** Score multiplier for the user's own documents when a search mixes them with sessions. */
export const USER_DOCUMENT_BOOST = 2;

const DAY_MS = 86_400_000;

/**
 * Fuses rankings by Reciprocal Rank Fusion: each id scores Σ 1 / (k + rank) over the rankings
 * it appears in, ranks counted from 1. An id repeated within one ranking counts once, at its
 * best rank.
 *
 * @param rankings Each ranking's ids, best first.
 * @param k The damping constant.
 * @returns Id → fused score, in first-seen order (not sorted).
 *
 * @example
 * ```ts
 * reciprocalRankFusion([["a", "b", "c"], ["b", "d", "a"]]).get("a"); // 1/61 + 1/63
 * ```
 */
export function reciprocalRankFusion<Id>(
  rankings: readonly (readonly Id[])[],
  k: number = RRF_K,
): Map<Id, number> {
  return weightedRankFusion(rankings.map((ids) => ({ ids, weight: 1 })), k);
}

/**
 * Weighted Reciprocal Rank Fusion: each id scores Σ weight / (k + rank). With every weight
 * 1 it is plain RRF.
 *
 * @param rankings Each ranking's ids, best first, and its weight (≥ 0).
 * @param k The damping constant.
 * @returns Id → fused score, in first-seen order (not sorted).
 */
export function weightedRankFusion<Id>(
  rankings: readonly { readonly ids: readonly Id[]; readonly weight: number }[],
  k: number = RRF_K,
): Map<Id, number> {
  if (!Number.isFinite(k) || k < 0) {
    throw createError("invalid_input", `RRF k must be a finite number ≥ 0, not ${k}`);
  }
  const scores = new Map<Id, number>();
  for (const { ids, weight } of rankings) {
    if (!Number.isFinite(weight) || weight < 0) {
      throw createError("invalid_input", `A ranking's weight must be ≥ 0, not ${weight}`);
    }
    const seen = new Set<Id>();
    ids.forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + weight / (k + i + 1));
    });
  }
  return scores;
}

/**
 * Recency decay of a dated item: max(0.1, 0.5^(age_days / half_life)), with age in whole
 * days, so anything from the last 24 hours (or the future) gives 1.0. A missing or
 * unparseable date gives 0.5.
 *
 * @param date An ISO 8601 date or date-time (anything `Date.parse` reads).
 * @param now The current time, in ms since the epoch.
 * @param halfLifeDays Days for the factor to halve.
 * @returns A factor in [0.1, 1].
 *
 * @example
 * ```ts
 * recencyDecay("2024-01-01", Date.parse("2024-01-31")); // 0.5
 * ```
 */
export function recencyDecay(
  date: string | null | undefined,
  now: number,
  halfLifeDays: number = EPISODE_HALF_LIFE_DAYS,
): number {
  if (!Number.isFinite(halfLifeDays) || halfLifeDays <= 0) {
    throw createError(
      "invalid_input",
      `Half-life must be a positive number of days, not ${halfLifeDays}`,
    );
  }
  if (date === null || date === undefined || date.trim() === "") return UNDATED_DECAY;
  const time = Date.parse(date);
  if (Number.isNaN(time)) return UNDATED_DECAY;
  const ageDays = Math.floor((now - time) / DAY_MS);
  if (ageDays <= 0) return 1;
  return Math.max(RECENCY_FLOOR, Math.pow(0.5, ageDays / halfLifeDays));
}

/** A hit that knows where it came from (`"document"` marks the user's own documents). */
export interface SourcedHit {
  /** The hit's score, which the boost multiplies. */
  readonly score: number;
  /** Where the hit came from: user documents get the boost. */
  readonly source: string;
}

/**
 * Multiplies the scores of user-document hits (`source === "document"`) by `boost` and sorts
 * best first (stable for equal scores). Apply it when one search covers both the user's
 * documents and sessions, so what the user wrote or saved outranks what was said in passing.
 *
 * @param hits Hits from several collections, in any order.
 * @param boost The multiplier for user documents.
 * @returns New hit objects, best first.
 */
export function boostUserDocuments<T extends SourcedHit>(
  hits: readonly T[],
  boost: number = USER_DOCUMENT_BOOST,
): T[] {
  return hits
    .map((hit) => (hit.source === "document" ? { ...hit, score: hit.score * boost } : { ...hit }))
    .sort((a, b) => b.score - a.score);
}

/** How many hits of each ranking the trust rule compares: the head a reader looks at. */
export const TRUST_HEAD = 10;

/**
 * How much sharper than BM25's the vector head must be to count without agreement: from
 * equal sharpness the vector's own weight rises to 1 at 1 + this ratio, while BM25's falls
 * from 1 at this ratio to 0 at 1 + it.
 */
export const SHARPNESS_MARGIN = 2;

/**
 * The least weight a ranking keeps: its hits still come after the other ranking's, in its
 * own order, and never reorder the other's (0.001 / 61 is below the gap between two
 * neighbouring ranks up to rank 100 with k = 60).
 */
export const MIN_FUSION_WEIGHT = 0.001;

/** A ranking with the scores that made it (BM25 scores, cosine similarities), best first. */
export interface ScoredRanking<Id> {
  /** The ids, best first. */
  readonly ids: readonly Id[];
  /** Each id's score, same order (non-increasing). */
  readonly scores: readonly number[];
}

/** The weight of each ranking in {@linkcode trustWeightedFusion}, in [0.001, 1]. */
export interface FusionWeights {
  /** The keyword (BM25) ranking's weight. */
  readonly bm25: number;
  /** The vector ranking's weight. */
  readonly vector: number;
}

/**
 * How sharply a ranking's head stands out from the rest of it: the share of the drop from
 * the first score to the last that happens within the head. 0 for a flat ranking (all
 * scores equal), near 1 when a few hits stand far above the others, 1 for a ranking no
 * longer than its head (what it left out scored nothing).
 *
 * @param scores The ranking's scores, best first.
 * @param head Hits in the head.
 * @returns A number in [0, 1].
 */
export function headSharpness(scores: readonly number[], head: number = TRUST_HEAD): number {
  const n = scores.length;
  if (n <= head) return n > 1 && scores[0] === scores[n - 1] ? 0 : 1;
  const top = scores[0]!, last = scores[n - 1]!;
  if (!(top > last)) return 0;
  return Math.min(1, Math.max(0, (top - scores[head]!) / (top - last)));
}

/**
 * The share of the shorter head that both rankings hold: 1 when they agree on every hit
 * of it, 0 when their heads share none.
 *
 * @param a One ranking's ids, best first.
 * @param b The other's.
 * @param head Hits in each head.
 * @returns A number in [0, 1]; 1 when either ranking is empty (nothing to disagree with).
 */
export function headAgreement<Id>(
  a: readonly Id[],
  b: readonly Id[],
  head: number = TRUST_HEAD,
): number {
  const headA = new Set(a.slice(0, head)), headB = new Set(b.slice(0, head));
  const size = Math.min(headA.size, headB.size);
  if (size === 0) return 1;
  let shared = 0;
  for (const id of headA) if (headB.has(id)) shared++;
  return shared / size;
}

/**
 * Agreement below this share of the heads lends the vector ranking no weight: with k = 60 any
 * vector weight above ~0.016 lets a hit both rankings hold at middling ranks pass BM25's first
 * hit, which a partly agreeing vector ranking missed.
 */
export const MIN_TRUSTED_AGREEMENT = 0.5;

/**
 * How far to trust each ranking for this query. Agreement of the two heads (at least
 * {@linkcode MIN_TRUSTED_AGREEMENT} of them) trusts both (full agreement: plain RRF). Without it, BM25 keeps its weight and the vector ranking
 * earns weight only by a head clearly sharper than BM25's ({@linkcode SHARPNESS_MARGIN});
 * when it is much sharper, BM25 gives way. Exact words are evidence a reader can check,
 * and a vector ranking is never empty even when nothing is near, hence the asymmetry.
 *
 * @param bm25 The keyword ranking with its BM25 scores.
 * @param vector The vector ranking with its cosine similarities.
 * @returns Each ranking's weight.
 */
export function fusionWeights<Id>(
  bm25: ScoredRanking<Id>,
  vector: ScoredRanking<Id>,
): FusionWeights {
  const agreement = headAgreement(bm25.ids, vector.ids);
  const sharpBm25 = headSharpness(bm25.scores), sharpVector = headSharpness(vector.scores);
  const ratio = sharpBm25 > 0 ? sharpVector / sharpBm25 : sharpVector > 0 ? Infinity : 1;
  const clamp = (x: number) => Math.min(1, Math.max(MIN_FUSION_WEIGHT, x));
  const trusted = agreement >= MIN_TRUSTED_AGREEMENT ? agreement : 0;
  return {
    bm25: clamp(Math.max(agreement, 1 + SHARPNESS_MARGIN - ratio)),
    vector: clamp(Math.max(trusted, (ratio - 1) / SHARPNESS_MARGIN)),
  };
}

/**
 * Fuses a BM25 and a vector ranking by RRF weighted by {@linkcode fusionWeights}, so a
 * ranking that cannot be trusted for this query does not pull the other's good hits down.
 *
 * @param bm25 The keyword ranking with its BM25 scores.
 * @param vector The vector ranking with its cosine similarities.
 * @param k The damping constant.
 * @returns Id → fused score (first-seen order, not sorted) and the weights used.
 *
 * @example
 * ```ts
 * const same = { ids: ["a", "b"], scores: [2, 1] };
 * trustWeightedFusion(same, same).scores.get("a"); // 2/61: the heads agree, plain RRF
 * ```
 */
export function trustWeightedFusion<Id>(
  bm25: ScoredRanking<Id>,
  vector: ScoredRanking<Id>,
  k: number = RRF_K,
): { scores: Map<Id, number>; weights: FusionWeights } {
  const weights = fusionWeights(bm25, vector);
  const scores = weightedRankFusion([
    { ids: bm25.ids, weight: weights.bm25 },
    { ids: vector.ids, weight: weights.vector },
  ], k);
  return { scores, weights };
}
