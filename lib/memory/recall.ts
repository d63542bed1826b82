/**
 * Recall: what memory brings to one question. Searches the collections the
 * intent asks for (session memories, documents, procedures) with ONE query
 * embedding, scores sessions by RRF × grounding × recency, lets documents
 * outrank sessions (×2) when both are searched, and applies self-correction:
 * low-grounding sessions that contradict a document are dropped, and poison
 * loops are quarantined in the store.
 */

import type { Intent } from "../intent/mod.ts";
import { refersToPastConversation } from "../intent/mod.ts";
import {
  type HybridIndex,
  LESSON_HALF_LIFE_DAYS,
  SESSION_HALF_LIFE_DAYS,
  USER_DOCUMENT_BOOST,
} from "../search/mod.ts";
import type { ProcedureRow, ReflectionRow, Store } from "../store/mod.ts";
import type { Embedder } from "./embedder.ts";
import { LOW_GROUNDING } from "./grounding.ts";
import { findContradictions, findPoisonLoops, sessionScore } from "./self_correction.ts";
import { type LibraryHit, libraryHits } from "./library_search.ts";

/** The search indexes recall may use (null: that collection is not available). */
export interface RecallIndexes {
  documents: HybridIndex | null;
  sessions: HybridIndex | null;
  procedures: HybridIndex | null;
}

/** What recall needs. */
export interface RecallDeps {
  store: Store;
  indexes: RecallIndexes;
  embedder: Embedder | null;
  now: number;
}

/** A session memory recalled for the question. */
export interface RecalledSession {
  session: ReflectionRow;
  /** The summary, or the lesson that matched. */
  text: string;
  kind: "summary" | "lesson" | "recent";
  score: number;
}

/** A document passage recalled, with its score after the ×2 user-document boost. */
export type RecalledDocument = LibraryHit;

/** What recall found, and what it filtered out (for --debug). */
export interface RecallResult {
  sessions: RecalledSession[];
  documents: RecalledDocument[];
  procedures: (ProcedureRow & { score: number })[];
  /** Sessions dropped because a document says otherwise. */
  contradicted: { sessionId: number; anchor: string; overlap: number }[];
  /** Sessions quarantined now (poison loops). */
  quarantined: { sessionId: number; poisoned: string[] }[];
  /** True when the query was embedded (hybrid search), false for keywords only. */
  hybrid: boolean;
  notes: string[];
}

/** How many items each collection contributes. */
export const RECALL_LIMITS = { sessions: 3, recallSessions: 5, documents: 5, procedures: 3 };

/** Recalls what memory holds for `query` under `intent`. */
export async function recall(
  query: string,
  intent: Intent,
  deps: RecallDeps,
): Promise<RecallResult> {
  const notes: string[] = [];
  const wantSessions = intent.scope === "session" || intent.scope === "all";
  const wantDocuments = intent.scope === "docs" ||
    (intent.scope === "all" && (intent.tool === "rag" || intent.tool === "web_and_rag"));
  const wantProcedures = intent.mode === "execute";
  const vector = wantSessions || wantDocuments || wantProcedures
    ? await embedOnce(deps.embedder, query, notes)
    : null;

  let sessions = wantSessions ? searchSessions(query, vector, intent, deps) : [];
  // Self-correction needs the documents a low-grounding session may contradict,
  // even when the answer itself will not quote them.
  const needDocuments = wantDocuments || sessions.some((s) => s.session.grounding < LOW_GROUNDING);
  let documents = needDocuments ? searchDocuments(query, vector, deps) : [];

  const contradicted = findContradictions(
    sessions.map(toCandidate),
    documents.map((d) => ({ id: d.chunk_id, text: d.text, score: d.score })),
  );
  const dropped = new Set(contradicted.map((c) => c.sessionId));
  const poison = findPoisonLoops(
    sessions.filter((s) => !dropped.has(s.session.id)).map(toCandidate),
    documents.map((d) => d.text),
  );
  const quarantined = poison.quarantined.map((q) => ({
    sessionId: q.sessionId,
    poisoned: q.poisoned,
  }));
  if (quarantined.length > 0) {
    deps.store.sessions.setQuarantined(quarantined.map((q) => q.sessionId), true);
    notes.push(
      `quarantined ${quarantined.length} session memor${quarantined.length === 1 ? "y" : "ies"} ` +
        "that only repeat each other (see mycoswarm memory --quarantined)",
    );
  }
  const gone = new Set([...dropped, ...quarantined.map((q) => q.sessionId)]);
  sessions = sessions.filter((s) => !gone.has(s.session.id));
  if (!wantDocuments) documents = [];
  else if (wantSessions && sessions.length > 0) {
    documents = documents.map((d) => ({ ...d, score: d.score * USER_DOCUMENT_BOOST }));
  }
  const procedures = wantProcedures ? searchProcedures(query, vector, deps) : [];
  return {
    sessions,
    documents,
    procedures,
    contradicted: contradicted.map((c) => ({
      sessionId: c.sessionId,
      anchor: c.anchor,
      overlap: c.overlap,
    })),
    quarantined,
    hybrid: vector !== null,
    notes,
  };
}

function toCandidate(s: RecalledSession) {
  return {
    id: s.session.id,
    text: [s.session.summary, ...s.session.decisions, ...s.session.lessons].join(" "),
    grounding: s.session.grounding,
    date: s.session.ended_at,
    score: s.score,
  };
}

async function embedOnce(embedder: Embedder | null, query: string, notes: string[]) {
  if (embedder === null) return null;
  try {
    const [vector] = await embedder.embed([query]);
    return vector ?? null;
  } catch (error) {
    notes.push(`keyword search only: ${(error as Error).message}`);
    return null;
  }
}

function searchSessions(
  query: string,
  vector: number[] | null,
  intent: Intent,
  deps: RecallDeps,
): RecalledSession[] {
  const recallMode = intent.mode === "recall" || intent.scope === "session";
  const limit = recallMode ? RECALL_LIMITS.recallSessions : RECALL_LIMITS.sessions;
  const found = deps.indexes.sessions?.search({ text: query, vector, limit: limit * 3 }) ?? [];
  const foundItems = deps.store.sessions.indexItems(found.map((h) => h.id));
  const items = new Map(foundItems.map((i) => [i.id, i]));
  // A session's summary and lessons may all be hits: read each session once.
  const sessions = new Map(
    [...new Set(foundItems.map((i) => i.session_id))]
      .map((id) => [id, deps.store.sessions.get(id)]),
  );
  const best = new Map<number, RecalledSession>();
  const consider = (candidate: RecalledSession) => {
    const current = best.get(candidate.session.id);
    if (!current || candidate.score > current.score) best.set(candidate.session.id, candidate);
  };
  for (const hit of found) {
    const item = items.get(hit.id);
    if (!item) continue;
    const session = sessions.get(item.session_id);
    if (!session || session.quarantined) continue;
    const halfLife = item.kind === "lesson" ? LESSON_HALF_LIFE_DAYS : SESSION_HALF_LIFE_DAYS;
    consider({
      session,
      text: item.text,
      kind: item.kind,
      score: sessionScore(hit.score, session.grounding, session.ended_at, deps.now, halfLife),
    });
  }
  // "What did we discuss last time?" matches no words of the answer: bring the newest
  // sessions in, newest first (mycoSwarm's temporal boost: 0.1 − 0.02 per step back).
  if (refersToPastConversation(query) || recallMode) {
    const recent = deps.store.sessions.list({ limit: 5 }).filter((s) => s.indexed);
    recent.forEach((session, i) => {
      const bonus = Math.max(0.1 - 0.02 * i, 0);
      const existing = best.get(session.id);
      consider({
        session,
        text: existing?.text ?? session.summary,
        kind: existing?.kind ?? "recent",
        score: (existing?.score ?? 0) + bonus * session.grounding,
      });
    });
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
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
