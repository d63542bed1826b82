/**
 * Which session memories a question recalls, and in what order: relevance first.
 *
 * Each hit gets an absolute relevance in [0, 1] — the share of the question's topic terms
 * its text contains, or, when the query was embedded, its cosine similarity if that is high
 * enough to mean the same thing in other words. Below {@linkcode RELEVANCE_FLOOR} a memory is
 * not recalled at all, however recent. Above it, memories are ordered by relevance band
 * ({@linkcode RELEVANCE_BAND} wide); only within a band do grounding and recency decide, so
 * yesterday's session never passes a clearly more relevant one from last month.
 *
 * Questions about the past with no topic ("what did we discuss last time?") are the
 * exception the caller handles: they bring the newest sessions in on purpose.
 *
 * Pure: terms, similarities, dates and `now` come in; nothing is read or written.
 */

import { recencyDecay } from "../search/mod.ts";

/**
 * Relevance below which a memory is not recalled: it must cover half the question's topic
 * (or {@linkcode ENOUGH_SHARED_TERMS} of its terms, or be a close paraphrase).
 */
export const RELEVANCE_FLOOR = 0.5;

/**
 * Cosine similarity from which a hit counts as relevant without sharing the topic's words
 * (a paraphrase). High on purpose: how similar unrelated texts look differs from one
 * embedding model to the next, and a memory that shares the topic's words needs no vector.
 */
export const SEMANTIC_FLOOR = 0.7;

/** Width of a relevance band: memories in one band are comparably relevant. */
export const RELEVANCE_BAND = 0.25;

/**
 * Words that only say the question is about a past conversation ("what did we discuss last
 * time about …"): they are not its topic, and every summary ("We discussed …") has them.
 */
const PAST_REFERENCE_WORDS = (
  "discuss discussed discussing talk talked talking spoke speak chat chatted chatting " +
  "conversation conversations session sessions last time times said say told tell mention " +
  "mentioned decide decided agree agreed cover covered remember recall earlier today " +
  "yesterday previously previous suggest suggested recommend recommended advise advised " +
  "promise promised explain explained ask asked went go ago day days week weeks month months " +
  "morning afternoon evening night monday tuesday wednesday thursday friday saturday sunday " +
  "one two three few couple"
).split(" ");

/**
 * Words that ask rather than name a topic ("can you remind me of the best way to …"): a
 * memory need not contain them, so they would only dilute the share of the topic it covers.
 */
const ASKING_WORDS = (
  "tell remind explain help know need want like show give find use make get best good way " +
  "ways right thing things something anything please thanks quick quickly idea ideas think " +
  "again also really sure maybe"
).split(" ");

/** Shared topic terms that make a memory relevant whatever share of a long question they are. */
export const ENOUGH_SHARED_TERMS = 2;

/**
 * The question's topic: its index terms, less the words that only ask, and less the words
 * that only refer to a past conversation when it does refer to one.
 *
 * @param queryTerms The question's index terms (`searchTerms(question)`).
 * @param options `pastReference`: the question refers to a past conversation;
 *   `termsOf`: the index's tokenizer, so the dropped words match the terms' form.
 * @returns The topic terms, in the question's order; empty when it has no topic.
 */
export function topicTerms(
  queryTerms: readonly string[],
  options: { pastReference: boolean; termsOf: (text: string) => string[] },
): string[] {
  const words = options.pastReference ? [...ASKING_WORDS, ...PAST_REFERENCE_WORDS] : ASKING_WORDS;
  const meta = new Set(options.termsOf(words.join(" ")));
  return queryTerms.filter((t) => !meta.has(t));
}

/**
 * A hit's absolute relevance to the topic: the share of topic terms among its terms (at least
 * the floor when it has {@linkcode ENOUGH_SHARED_TERMS} of them), or — when its cosine
 * similarity reaches {@linkcode SEMANTIC_FLOOR} — at least the floor, rising to 1 at a
 * similarity of 1.
 *
 * @param topic The question's topic terms.
 * @param options `terms`: the hit's index terms; `similarity`: its cosine similarity to the
 *   question, or null (keyword search, or not among the vector results).
 * @returns Relevance in [0, 1]; 0 for an empty topic.
 *
 * @example
 * ```ts
 * relevance(["postgres", "autovacuum"], { terms: new Set(["postgres"]), similarity: null }); // 0.5
 * ```
 */
export function relevance(
  topic: readonly string[],
  options: { terms: ReadonlySet<string>; similarity: number | null },
): number {
  if (topic.length === 0) return 0;
  const shared = topic.filter((t) => options.terms.has(t)).length;
  const keyword = shared >= ENOUGH_SHARED_TERMS
    ? Math.max(shared / topic.length, RELEVANCE_FLOOR)
    : shared / topic.length;
  const s = options.similarity;
  if (s === null || s < SEMANTIC_FLOOR) return keyword;
  const semantic = RELEVANCE_FLOOR + (1 - RELEVANCE_FLOOR) * (s - SEMANTIC_FLOOR) /
      (1 - SEMANTIC_FLOOR);
  return Math.max(keyword, Math.min(1, semantic));
}

/** One memory found for a question, with what ranking needs. */
export interface EpisodeMatch<T> {
  /** The caller's item, returned as is. */
  item: T;
  /** Its {@linkcode relevance}. */
  relevance: number;
  /** The search's fused score (RRF): keeps the score on the scale of other collections. */
  searchScore: number;
  /** The reflection's grounding, 0..1 (NaN counts as 1). */
  grounding: number;
  /** When its session ended (ISO 8601), or null. */
  date: string | null;
  /** Recency half-life for this kind of memory, in days. */
  halfLifeDays: number;
}

/** A ranked memory: the caller's item and its final score. */
export interface RankedEpisode<T> {
  /** The caller's item. */
  item: T;
  /** Its relevance, as given. */
  relevance: number;
  /**
   * search score × grounding × recency, then lowered where needed so that scores never rise
   * down the ranking (the prompt budget goes to the highest score first).
   */
  score: number;
}

/**
 * Ranks memories relevance first: drops those below {@linkcode RELEVANCE_FLOOR}, orders the
 * rest by relevance band, then by relevance × grounding × recency within a band.
 *
 * @param matches The memories found, in any order.
 * @param now The current time, in ms since the epoch.
 * @returns The memories worth recalling, best first.
 *
 * @example
 * ```ts
 * // An unrelated session from yesterday is not recalled; a relevant one from last month is.
 * rankEpisodes([yesterdayUnrelated, lastMonthRelevant], Date.now()); // [lastMonthRelevant]
 * ```
 */
export function rankEpisodes<T>(
  matches: readonly EpisodeMatch<T>[],
  now: number,
): RankedEpisode<T>[] {
  const weighed = matches
    .filter((m) => m.relevance >= RELEVANCE_FLOOR)
    .map((m) => {
      const g = Number.isNaN(m.grounding) ? 1 : Math.min(1, Math.max(0, m.grounding));
      const decay = recencyDecay(m.date, now, m.halfLifeDays);
      return {
        match: m,
        band: Math.floor(Math.min(m.relevance, 0.999) / RELEVANCE_BAND),
        weight: m.relevance * g * decay,
        score: m.searchScore * g * decay,
      };
    })
    .sort((a, b) => b.band - a.band || b.weight - a.weight);
  let ceiling = Infinity;
  return weighed.map(({ match, score }) => {
    ceiling = Math.min(ceiling, score);
    return { item: match.item, relevance: match.relevance, score: ceiling };
  });
}
