/**
 * Pure ranking functions: Reciprocal Rank Fusion, recency decay and the user-document boost.
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
  if (!Number.isFinite(k) || k < 0) {
    throw createError("invalid_input", `RRF k must be a finite number ≥ 0, not ${k}`);
  }
  const scores = new Map<Id, number>();
  for (const ranking of rankings) {
    const seen = new Set<Id>();
    ranking.forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1));
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
