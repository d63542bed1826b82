/**
 * Self-correction at retrieval: pure filters that keep weakly grounded episodes (session
 * memories) from overriding the user's documents or from reinforcing each other.
 *
 * - {@linkcode episodeScore}: RRF × grounding × recency decay, so an ungrounded memory ranks low.
 * - {@linkcode findContradictions}: a low-grounding episode that says something else than a
 *   document about the same name is dropped — documents win.
 * - {@linkcode findPoisonLoops}: names that only low-grounding episodes repeat, and no
 *   document backs, are poisoned; episodes made mostly of them are quarantined.
 *
 * Episodes with grounding ≥ {@linkcode LOW_GROUNDING} are never dropped by either rule.
 */

import { EPISODE_HALF_LIFE_DAYS, recencyDecay } from "../search/mod.ts";
import { jaccard } from "./_jaccard.ts";
import {
  capitalisedWords,
  isSentenceOpener,
  LOW_GROUNDING,
  round4,
  STOP_WORDS,
  wordKey,
  wordsOf,
} from "./grounding.ts";

/** An episode found by a search. */
export interface EpisodeCandidate {
  id: number;
  text: string;
  /** The reflection's grounding, 0..1. */
  grounding: number;
  /** When the episode's session ended (ISO 8601), or null. */
  date: string | null;
  score: number;
}

/** A document chunk found by the same search. */
export interface DocumentCandidate {
  id: number;
  text: string;
  score: number;
}

/** Words each side of a shared name that are compared (mycoSwarm's ±5). */
export const CONTRADICTION_WINDOW = 5;
/** Jaccard overlap of the two windows below which they disagree (mycoSwarm's 0.2). */
export const CONTRADICTION_OVERLAP = 0.2;
/** Low-grounding episodes a name must recur in to be poisoned. */
export const POISON_MIN_EPISODES = 2;

/**
 * An episode's retrieval score: rrf × grounding × recency decay. A grounding outside [0, 1] is
 * clamped; a missing one (NaN) counts as 1, like mycoSwarm's default.
 *
 * @example
 * ```ts
 * episodeScore(2 / 61, 0.5, "2025-01-01", Date.parse("2025-01-31")); // 2/61 × 0.5 × 0.5
 * ```
 */
export function episodeScore(
  rrf: number,
  grounding: number,
  date: string | null,
  now: number,
  halfLifeDays: number = EPISODE_HALF_LIFE_DAYS,
): number {
  const g = Number.isNaN(grounding) ? 1 : Math.min(1, Math.max(0, grounding));
  return rrf * g * recencyDecay(date, now, halfLifeDays);
}

/** An episode dropped because a document says otherwise (shown by `--debug`). */
export interface Contradiction {
  episodeId: number;
  /** The document that disagrees most (or agrees least). */
  documentId: number;
  /** The shared name, lowercased, with a number after it when there is one ("phase 20"). */
  anchor: string;
  /** The best Jaccard overlap of the windows around the anchor, over all documents. */
  overlap: number;
}

/**
 * Finds low-grounding episodes contradicted by a document. Anchors are the episode's
 * capitalised words of 3+ letters (not sentence openers or stop words), with the number that
 * follows them, so "Phase 20" must meet "Phase 20", not "Phase 21". For each anchor found in a
 * document, the ±5 content words around its first hit in the episode are compared with those
 * around every hit in every document (stop words and the anchor itself left out, words
 * compared by their first 5 letters). When the best overlap is below 0.2, no document agrees
 * and one disagrees: the episode is a contradiction.
 *
 * @param episodes Episode hits; only those with grounding < 0.5 are checked.
 * @param documents Document hits of the same search.
 * @returns The episodes to drop, with the anchor and overlap; one entry per episode.
 */
export function findContradictions(
  episodes: readonly Pick<EpisodeCandidate, "id" | "text" | "grounding">[],
  documents: readonly Pick<DocumentCandidate, "id" | "text">[],
): Contradiction[] {
  const docs = documents.map((d) => ({ id: d.id, tokens: contentTokens(d.text) }));
  const found: Contradiction[] = [];
  for (const episode of episodes) {
    if (!(episode.grounding < LOW_GROUNDING)) continue;
    const tokens = contentTokens(episode.text);
    for (const anchor of anchorsOf(episode.text)) {
      const mine = windowAt(tokens, anchor, indexesOf(tokens, anchor)[0]);
      if (mine === null) continue;
      let best: { documentId: number; overlap: number } | null = null;
      for (const doc of docs) {
        for (const at of indexesOf(doc.tokens, anchor)) {
          const theirs = windowAt(doc.tokens, anchor, at);
          if (theirs === null) continue;
          const overlap = jaccard(mine, theirs);
          if (best === null || overlap > best.overlap) best = { documentId: doc.id, overlap };
        }
      }
      if (best !== null && best.overlap < CONTRADICTION_OVERLAP) {
        const anchorText = anchor.join(" ");
        found.push({
          episodeId: episode.id,
          anchor: anchorText,
          ...best,
          overlap: round4(best.overlap),
        });
        break;
      }
    }
  }
  return found;
}

/** A low-grounding episode made mostly of poisoned names. */
export interface Quarantine {
  episodeId: number;
  /** Its poisoned names. */
  poisoned: string[];
  /** All its names. */
  terms: string[];
}

/** What {@linkcode findPoisonLoops} found. */
export interface PoisonLoops {
  /** Names recurring in ≥ 2 low-grounding episodes and in no document. */
  poisoned: string[];
  quarantined: Quarantine[];
}

/**
 * Finds poison loops: invented names that low-grounding episodes keep repeating to each
 * other. Terms are capitalised words of 4+ letters in episodes with grounding < 0.5 (sentence
 * openers such as "Discussed" left out); a term is poisoned when ≥ 2 of those episodes use it
 * and no document text contains it. A low-grounding episode with more than half of its terms
 * poisoned is quarantined. Needs ≥ 2 low-grounding episodes.
 *
 * @param episodes Episode hits.
 * @param documentTexts The document text that can vouch for a name (hits or the library).
 * @returns The poisoned names and the episodes to quarantine.
 */
export function findPoisonLoops(
  episodes: readonly Pick<EpisodeCandidate, "id" | "text" | "grounding">[],
  documentTexts: readonly string[],
): PoisonLoops {
  const low = episodes
    .filter((s) => s.grounding < LOW_GROUNDING)
    .map((s) => ({ id: s.id, terms: poisonTerms(s.text) }));
  if (low.length < POISON_MIN_EPISODES) return { poisoned: [], quarantined: [] };
  const uses = new Map<string, number>();
  for (const episode of low) for (const t of episode.terms) uses.set(t, (uses.get(t) ?? 0) + 1);
  const docs = documentTexts.join("\n").toLowerCase();
  const poisoned = [...uses]
    .filter(([term, count]) => count >= POISON_MIN_EPISODES && !docs.includes(term))
    .map(([term]) => term);
  const quarantined = low
    .map((s) => ({
      episodeId: s.id,
      poisoned: s.terms.filter((t) => poisoned.includes(t)),
      terms: s.terms,
    }))
    .filter((q) => q.terms.length > 0 && q.poisoned.length / q.terms.length > 0.5);
  return { poisoned, quarantined };
}

function poisonTerms(text: string): string[] {
  const words = capitalisedWords(text)
    .filter(({ word, initial }) => [...word].length >= 4 && !(initial && isSentenceOpener(word)))
    .map((w) => w.word.toLowerCase())
    .filter((w) => !STOP_WORDS.has(w));
  return [...new Set(words)];
}

function contentTokens(text: string): string[] {
  return wordsOf(text).filter((w) => !STOP_WORDS.has(w));
}

/** The episode's anchors as token sequences: ["phase", "20"], ["python"]. */
function anchorsOf(text: string): string[][] {
  const seen = new Set<string>();
  const anchors: string[][] = [];
  for (const { word, initial, following } of capitalisedWords(text)) {
    const lower = word.toLowerCase();
    if ((initial && isSentenceOpener(word)) || STOP_WORDS.has(lower)) continue;
    const anchor = following !== null && /^\d+(\.\d+)*$/.test(following)
      ? [lower, following]
      : [lower];
    if (seen.has(anchor.join(" "))) continue;
    seen.add(anchor.join(" "));
    anchors.push(anchor);
  }
  return anchors;
}

function indexesOf(tokens: readonly string[], anchor: readonly string[]): number[] {
  const found: number[] = [];
  for (let i = 0; i + anchor.length <= tokens.length; i++) {
    if (anchor.every((word, j) => tokens[i + j] === word)) found.push(i);
  }
  return found;
}

/** The word keys within ±5 tokens of the anchor at `at`, without the anchor; null if none. */
function windowAt(tokens: readonly string[], anchor: readonly string[], at: number | undefined) {
  if (at === undefined) return null;
  const near = [
    ...tokens.slice(Math.max(0, at - CONTRADICTION_WINDOW), at),
    ...tokens.slice(at + anchor.length, at + anchor.length + CONTRADICTION_WINDOW),
  ];
  const own = new Set(anchor.map(wordKey));
  const keys = new Set(near.map(wordKey).filter((k) => !own.has(k)));
  return keys.size === 0 ? null : keys;
}
