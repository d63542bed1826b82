/**
 * Recall: what memory brings to one question. Searches the collections the
 * intent asks for (episodes, i.e. session memories; documents; procedures) with ONE
 * query embedding, ranks episodes relevance first (episode_ranking.ts: below a relevance floor
 * an episode is not recalled; recency only orders comparably relevant ones), lets documents
 * outrank episodes (×2) when both are searched, and applies self-correction:
 * low-grounding episodes that contradict a document are dropped, and poison
 * loops are quarantined in the store.
 */

import type { Intent } from "../intent/mod.ts";
import { refersToPastConversation } from "../intent/mod.ts";
import {
  EPISODE_HALF_LIFE_DAYS,
  type HybridIndex,
  LESSON_HALF_LIFE_DAYS,
  searchTerms,
  USER_DOCUMENT_BOOST,
} from "../search/mod.ts";
import type { Episode, ProcedureRow, Store } from "../store/mod.ts";
import type { Embedder } from "./embedder.ts";
import { LOW_GROUNDING } from "./grounding.ts";
import { findContradictions, findPoisonLoops } from "./self_correction.ts";
import { type EpisodeMatch, rankEpisodes, relevance, topicTerms } from "./episode_ranking.ts";
import { type LibraryHit, libraryHits } from "./library_search.ts";

/** The search indexes recall may use (null: that collection is not available). */
export interface RecallIndexes {
  /** Library documents. */
  documents: HybridIndex | null;
  /** Episode summaries and lessons. */
  episodes: HybridIndex | null;
  /** Procedures. */
  procedures: HybridIndex | null;
}

/** What recall needs. */
export interface RecallDeps {
  /** Where episodes and procedures are read. */
  store: Store;
  /** The indexes to search. */
  indexes: RecallIndexes;
  /** Embeds the query for hybrid search; null searches by keywords only. */
  embedder: Embedder | null;
  /**
   * The query's embedding, already asked for (the pipeline asks while the intent gate
   * thinks, so the two model calls overlap). @default asked here, when the intent needs it
   */
  queryEmbedding?: Promise<QueryEmbedding> | undefined;
  /** The time in ms since the epoch, for recency decay. */
  now: number;
}

/** An episode recalled for the question. */
export interface RecalledEpisode {
  /** The stored episode. */
  episode: Episode;
  /** The summary, or the lesson that matched. */
  text: string;
  /** What matched: its summary, one of its lessons, or only its recency. */
  kind: "summary" | "lesson" | "recent";
  /** Relevance after grounding and recency weighting; higher is better. */
  score: number;
}

/** A document passage recalled, with its score after the ×2 user-document boost. */
export type RecalledDocument = LibraryHit;

/** What recall found, and what it filtered out (for --debug). */
export interface RecallResult {
  /** Episodes, best first. */
  episodes: RecalledEpisode[];
  /** Document passages, best first. */
  documents: RecalledDocument[];
  /** Procedures that may apply, with their search score. */
  procedures: (ProcedureRow & { score: number })[];
  /** Episodes dropped because a document says otherwise. */
  contradicted: { episodeId: number; anchor: string; overlap: number }[];
  /** Episodes quarantined now (poison loops). */
  quarantined: { episodeId: number; poisoned: string[] }[];
  /** True when the query was embedded (hybrid search), false for keywords only. */
  hybrid: boolean;
  /** Messages for the user, e.g. why search fell back to keywords. */
  notes: string[];
}

/** How many items each collection contributes. */
export const RECALL_LIMITS = { episodes: 3, recallEpisodes: 5, documents: 5, procedures: 3 };

/** Recalls what memory holds for `query` under `intent`. */
export async function recall(
  query: string,
  intent: Intent,
  deps: RecallDeps,
): Promise<RecallResult> {
  const notes: string[] = [];
  const wantEpisodes = intent.scope === "session" || intent.scope === "all";
  const wantDocuments = intent.scope === "docs" ||
    (intent.scope === "all" && (intent.tool === "rag" || intent.tool === "web_and_rag"));
  const wantProcedures = intent.mode === "execute";
  let vector: number[] | null = null;
  if (wantEpisodes || wantDocuments || wantProcedures) {
    const embedded = await (deps.queryEmbedding ?? embedQuery(deps.embedder, query));
    vector = embedded.vector;
    if (embedded.problem !== null) notes.push(`keyword search only: ${embedded.problem}`);
  }

  let episodes = wantEpisodes ? searchEpisodes(query, vector, intent, deps) : [];
  // Self-correction needs the documents a low-grounding episode may contradict,
  // even when the answer itself will not quote them.
  const needDocuments = wantDocuments || episodes.some((e) => e.episode.grounding < LOW_GROUNDING);
  let documents = needDocuments ? searchDocuments(query, vector, deps) : [];

  const contradicted = findContradictions(
    episodes.map(toCandidate),
    documents.map((d) => ({ id: d.chunk_id, text: d.text, score: d.score })),
  );
  const dropped = new Set(contradicted.map((c) => c.episodeId));
  const poison = findPoisonLoops(
    episodes.filter((e) => !dropped.has(e.episode.id)).map(toCandidate),
    documents.map((d) => d.text),
  );
  const quarantined = poison.quarantined.map((q) => ({
    episodeId: q.episodeId,
    poisoned: q.poisoned,
  }));
  if (quarantined.length > 0) {
    deps.store.episodes.setQuarantined(quarantined.map((q) => q.episodeId), true);
    notes.push(
      `quarantined ${quarantined.length} session memor${quarantined.length === 1 ? "y" : "ies"} ` +
        "that only repeat each other (see mycoswarm memory --quarantined)",
    );
  }
  const gone = new Set([...dropped, ...quarantined.map((q) => q.episodeId)]);
  episodes = episodes.filter((e) => !gone.has(e.episode.id));
  if (!wantDocuments) documents = [];
  else if (wantEpisodes && episodes.length > 0) {
    documents = documents.map((d) => ({ ...d, score: d.score * USER_DOCUMENT_BOOST }));
  }
  const procedures = wantProcedures ? searchProcedures(query, vector, deps) : [];
  return {
    episodes,
    documents,
    procedures,
    contradicted: contradicted.map((c) => ({
      episodeId: c.episodeId,
      anchor: c.anchor,
      overlap: c.overlap,
    })),
    quarantined,
    hybrid: vector !== null,
    notes,
  };
}

function toCandidate(e: RecalledEpisode) {
  return {
    id: e.episode.id,
    text: [e.episode.summary, ...e.episode.decisions, ...e.episode.lessons].join(" "),
    grounding: e.episode.grounding,
    date: e.episode.ended_at,
    score: e.score,
  };
}

/** A query's embedding, or why there is none (null `vector` and `problem`: no embedder). */
export interface QueryEmbedding {
  /** The query's vector; null searches by keywords only. */
  vector: number[] | null;
  /** Why the embedding failed, when it did. */
  problem: string | null;
}

/** Embeds `query` for recall; never throws (a failure is the `problem`). */
export async function embedQuery(
  embedder: Embedder | null,
  query: string,
): Promise<QueryEmbedding> {
  if (embedder === null) return { vector: null, problem: null };
  try {
    const [vector] = await embedder.embed([query]);
    return { vector: vector ?? null, problem: null };
  } catch (error) {
    return { vector: null, problem: (error as Error).message };
  }
}

function searchEpisodes(
  query: string,
  vector: number[] | null,
  intent: Intent,
  deps: RecallDeps,
): RecalledEpisode[] {
  const recallMode = intent.mode === "recall" || intent.scope === "session";
  const limit = recallMode ? RECALL_LIMITS.recallEpisodes : RECALL_LIMITS.episodes;
  const pastReference = refersToPastConversation(query);
  const topic = topicTerms(searchTerms(query), { pastReference, termsOf: searchTerms });
  // "What did we discuss last time?" has no topic to match: bring the newest episodes in,
  // newest first (mycoSwarm's temporal boost: 0.1 − 0.02 per step back).
  if (topic.length === 0) return pastReference || recallMode ? newestEpisodes(deps, limit) : [];
  const found = deps.indexes.episodes?.search({ text: query, vector, limit: limit * 3 }) ?? [];
  const foundItems = deps.store.episodes.indexItems(found.map((h) => h.id));
  const items = new Map(foundItems.map((i) => [i.id, i]));
  // An episode's summary and lessons may all be hits: read each episode once.
  const episodes = new Map(
    [...new Set(foundItems.map((i) => i.episode_id))]
      .map((id) => [id, deps.store.episodes.get(id)]),
  );
  const matches: EpisodeMatch<Omit<RecalledEpisode, "score">>[] = [];
  for (const hit of found) {
    const item = items.get(hit.id);
    if (!item) continue;
    const episode = episodes.get(item.episode_id);
    if (!episode || episode.quarantined) continue;
    matches.push({
      item: { episode, text: item.text, kind: item.kind },
      relevance: relevance(topic, {
        // A summary is recalled with its decisions, so they count towards its relevance.
        terms: new Set(searchTerms(
          item.kind === "summary" ? [item.text, ...episode.decisions].join("\n") : item.text,
        )),
        similarity: hit.similarity,
      }),
      searchScore: hit.score,
      grounding: episode.grounding,
      date: episode.ended_at,
      halfLifeDays: item.kind === "lesson" ? LESSON_HALF_LIFE_DAYS : EPISODE_HALF_LIFE_DAYS,
    });
  }
  // An episode's summary and lessons may all be hits: keep each episode's best.
  const best = new Map<number, RecalledEpisode>();
  for (const { item, score } of rankEpisodes(matches, deps.now)) {
    if (!best.has(item.episode.id)) best.set(item.episode.id, { ...item, score });
  }
  return [...best.values()].slice(0, limit);
}

function newestEpisodes(deps: RecallDeps, limit: number): RecalledEpisode[] {
  const recent = deps.store.episodes.list({ limit }).filter((e) => e.indexed);
  return recent.map((episode, i) => ({
    episode,
    text: episode.summary,
    kind: "recent",
    score: Math.max(0.1 - 0.02 * i, 0) * episode.grounding,
  }));
}

function searchDocuments(query: string, vector: number[] | null, deps: RecallDeps) {
  const found = deps.indexes.documents?.search({
    text: query,
    vector,
    limit: RECALL_LIMITS.documents,
  }) ?? [];
  return libraryHits(deps.store, found, query);
}

function searchProcedures(query: string, vector: number[] | null, deps: RecallDeps) {
  const found = deps.indexes.procedures?.search({
    text: query,
    vector,
    limit: RECALL_LIMITS.procedures,
  }) ?? [];
  return found.flatMap((hit) => {
    const row = deps.store.procedures.get(hit.id);
    return row ? [{ ...row, score: hit.score }] : [];
  });
}
