/** What the daemon's conversations answer: an answer's JSON, a session end's report. */

import type { ChatServiceAnswer, SessionEndReport } from "./chat_service.ts";
import type { ExchangeResult } from "./chat_session.ts";
import { reflectedParts, type SessionEnd, sessionGrounding } from "./session_end.ts";

/**
 * The report of a session's end. A failed reflection leaves the messages pending (the
 * session's file says why), so the report only tells the error.
 */
export function endReport(session: string, end: SessionEnd | null): SessionEndReport {
  if (end === null) return notReflected(session, null);
  const { episode } = end;
  if (!episode.ok) return notReflected(session, episode.error);
  // Over every part of a long session; only grounded lessons are taught.
  const parts = reflectedParts(end);
  return {
    session,
    reflected: true,
    grounding: Math.round(sessionGrounding(end) * 10_000) / 10_000,
    summary: episode.reflection.summary,
    tone: episode.reflection.tone,
    lessons: parts.flatMap((p) => p.groundedLessons),
    indexed: parts.some((p) => p.indexed),
    error: null,
  };
}

/** The report of a session that was not reflected on, and why (null: too short, or no memory). */
export function notReflected(session: string, error: string | null): SessionEndReport {
  return {
    session,
    reflected: false,
    grounding: null,
    summary: null,
    tone: null,
    lessons: [],
    indexed: false,
    error,
  };
}

/** The answer as the API returns it; throws the failure when nothing was answered. */
export function answerJson(
  result: ExchangeResult,
  model: string,
  session: string | null,
): ChatServiceAnswer {
  if (result.error !== null && result.text === "") throw result.error;
  const turn = result.turn;
  return {
    text: result.text,
    model,
    session,
    error: result.error === null ? null : describe(result.error),
    intent: turn ? { ...turn.decision.intent } : null,
    sources: turn?.prompt.sources ?? [],
    usage: result.usage,
  };
}

/** An error's message. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
