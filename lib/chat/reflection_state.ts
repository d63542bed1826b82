/**
 * How far a saved session was reflected on, kept in its transcript: `reflected_through`,
 * the index of its first message not yet reflected on, and `reflection_pending`, why the
 * last reflection did not happen. A session with unreflected messages is pending: it is
 * reflected whole, from its first unreflected message, the next time it is resumed, at the
 * next start of `chat` or `ask`, or by the daemon's sweep. A transcript without
 * `reflected_through` predates this record (or another program wrote it): its messages
 * count as reflected on.
 */

import { type MemoryClaim, MIN_MESSAGES_TO_REFLECT, REFLECT_LAST_MESSAGES } from "../memory/mod.ts";
import type { Transcript, TranscriptMessage } from "./transcripts.ts";

/** Why a session's last reflection did not happen, as saved with it. */
export interface PendingMark {
  /** What went wrong, e.g. "reflection failed: No model server at ...". */
  reason: string;
  /** When (ISO 8601). */
  at: string;
  /** Failed reflections in a row, this one included. */
  attempts: number;
}

/** A session whose messages were not all reflected on. */
export interface PendingSession {
  /** The session's name. */
  name: string;
  /** Index (from 0) of its first unreflected message in `messages`. */
  first_unreflected: number;
  /** How many user and assistant messages wait for a reflection. */
  unreflected_messages: number;
  /** Why they wait. */
  reason: string;
  /** When the reflection failed (ISO 8601); null when it never ran. */
  since: string | null;
  /** Failed reflections in a row (0 when it never ran). */
  attempts: number;
}

/** Said of a session with no failure on record: its chat ended without a reflection. */
export const NEVER_REFLECTED =
  "never reflected: its chat ended without a reflection (stopped, or still open)";

/** Where the reflection of `transcript` starts; null when it predates this record. */
export function reflectedThrough(transcript: Transcript): number | null {
  const value = transcript.extra?.reflected_through;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) return null;
  return Math.min(value, transcript.messages.length);
}

/** The failure on record, if any. */
export function pendingMark(transcript: Transcript): PendingMark | null {
  const mark = transcript.extra?.reflection_pending as Partial<PendingMark> | undefined;
  if (typeof mark !== "object" || mark === null || typeof mark.reason !== "string") return null;
  const attempts = Number.isInteger(mark.attempts) && mark.attempts! > 0 ? mark.attempts! : 1;
  return { reason: mark.reason, at: typeof mark.at === "string" ? mark.at : "", attempts };
}

/** Records that the messages before `through` were reflected on (and nothing is pending). */
export function markReflected(transcript: Transcript, through: number): void {
  const {
    reflection_pending: _,
    reflection_started: _started,
    reflection_evidence: evidence,
    reflection_memories: memories,
    ...extra
  } = transcript.extra ?? {};
  // Evidence and memories stay while messages wait: a later part may need what an earlier
  // run found or recalled.
  const waiting = through < transcript.messages.length;
  transcript.extra = {
    ...extra,
    reflected_through: through,
    ...(waiting && evidence !== undefined ? { reflection_evidence: evidence } : {}),
    ...(waiting && memories !== undefined ? { reflection_memories: memories } : {}),
  };
}

/** Characters of retrieved evidence a session keeps for its reflection; the oldest go first. */
export const MAX_SAVED_EVIDENCE_CHARS = 200_000;

/**
 * The documents and web text retrieved while the session's unreflected messages were said,
 * as saved with it: a reflection that runs later (the session was resumed, or the daemon's
 * sweep found it pending) grounds its claims on what was retrieved then, not only on what
 * the user said.
 */
export function savedEvidence(transcript: Transcript): string[] {
  const value = transcript.extra?.reflection_evidence;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * Adds `texts` to the evidence saved with the session (each text once), keeping the newest
 * within {@linkcode MAX_SAVED_EVIDENCE_CHARS} (a text longer than that alone is left out).
 */
export function keepEvidence(transcript: Transcript, texts: readonly string[]): void {
  const all = [...new Set([...savedEvidence(transcript), ...texts])];
  if (all.length === 0) return;
  // Newest first; a text that does not fit is left out, and older ones that fit still go in.
  let chars = 0;
  const kept = all.reverse().filter((text) => {
    if (chars + text.length > MAX_SAVED_EVIDENCE_CHARS) return false;
    chars += text.length;
    return true;
  }).reverse();
  transcript.extra = { ...transcript.extra, reflection_evidence: kept };
}

/** Memory claims a session keeps for its reflection; the oldest go first. */
export const MAX_SAVED_MEMORIES = 200;

/**
 * The memory claims recalled into the prompts while the session's unreflected messages were
 * said, as saved with it: not evidence, but a reflection that runs later still lends their
 * standing to the claims that repeat them (a grounded memory supports, an unverified one
 * does not).
 */
export function savedMemories(transcript: Transcript): MemoryClaim[] {
  const value = transcript.extra?.reflection_memories;
  if (!Array.isArray(value)) return [];
  return value.filter((m): m is MemoryClaim =>
    typeof m === "object" && m !== null && typeof m.ref === "string" &&
    typeof m.text === "string" && typeof m.grounded === "boolean"
  );
}

/**
 * Adds `claims` to the memories saved with the session (each once, by its ref; a later
 * standing replaces an earlier one), keeping the newest {@linkcode MAX_SAVED_MEMORIES}.
 */
export function keepMemories(transcript: Transcript, claims: readonly MemoryClaim[]): void {
  const byRef = new Map<string, MemoryClaim>();
  for (const m of [...savedMemories(transcript), ...claims]) {
    byRef.delete(m.ref);
    byRef.set(m.ref, { ref: m.ref, text: m.text, grounded: m.grounded });
  }
  if (byRef.size === 0) return;
  transcript.extra = {
    ...transcript.extra,
    reflection_memories: [...byRef.values()].slice(-MAX_SAVED_MEMORIES),
  };
}

/** Records why the reflection did not happen; the messages stay pending. */
export function markPending(transcript: Transcript, reason: string, at: string): void {
  const attempts = (pendingMark(transcript)?.attempts ?? 0) + 1;
  const { reflection_started: _, ...extra } = transcript.extra ?? {};
  transcript.extra = {
    ...extra,
    reflected_through: reflectedThrough(transcript) ?? 0,
    reflection_pending: { reason, at, attempts },
  };
}

/** A reflection that began storing its episode: the part's end and when it began. */
export interface StartedMark {
  /** `reflected_through` once the part is recorded. */
  end: number;
  /** When the episode began to be stored (ISO 8601). */
  at: string;
}

/**
 * Records, before its episode is stored, that the part ending at `end` is being reflected:
 * if the process dies before {@linkcode markReflected}, the next attempt looks for that
 * episode instead of storing it twice.
 */
export function markStarted(transcript: Transcript, end: number, at: string): void {
  transcript.extra = { ...transcript.extra, reflection_started: { end, at } };
}

/** The reflection that began and was never recorded as done, if any. */
export function startedMark(transcript: Transcript): StartedMark | null {
  const mark = transcript.extra?.reflection_started as Partial<StartedMark> | undefined;
  if (typeof mark !== "object" || mark === null) return null;
  return typeof mark.end === "number" && typeof mark.at === "string"
    ? { end: mark.end, at: mark.at }
    : null;
}

/** The longest a sweep waits before trying a failing session again: 6 hours. */
export const MAX_RETRY_WAIT_MS = 6 * 3_600_000;

/**
 * When a sweep may try `pending` again (ms since the epoch): at once when it never ran or
 * failed once (the model server was down and may be back); after two failures in a row,
 * 1 minute, then doubling with each further failure, at most {@linkcode MAX_RETRY_WAIT_MS} —
 * so a session that always fails (a model that never gives a summary) does not cost model
 * calls at every chat, ask and sweep. Resuming the session tries at once, whatever this says.
 */
export function retryAt(pending: PendingSession): number {
  if (pending.since === null || pending.attempts < 2) return 0;
  const failed = Date.parse(pending.since);
  if (Number.isNaN(failed)) return 0;
  const wait = Math.min(MAX_RETRY_WAIT_MS, 60_000 * 2 ** Math.min(pending.attempts - 2, 20));
  return failed + wait;
}

/** The messages a reflection takes: user and assistant ones. */
export function isReflected(message: TranscriptMessage): boolean {
  return message.role === "user" || message.role === "assistant";
}

/** The session's pending reflection, or null when nothing (or too little) waits. */
export function pendingOf(transcript: Transcript): PendingSession | null {
  const from = reflectedThrough(transcript);
  if (from === null) return null;
  const waiting = transcript.messages.slice(from).filter(isReflected).length;
  if (waiting < MIN_MESSAGES_TO_REFLECT) return null;
  const mark = pendingMark(transcript);
  return {
    name: transcript.name,
    first_unreflected: from,
    unreflected_messages: waiting,
    reason: mark?.reason ?? NEVER_REFLECTED,
    since: mark?.at || null,
    attempts: mark?.attempts ?? 0,
  };
}

/** One part of a reflection: its messages, and the index just past its last one. */
export interface ReflectionPart {
  /** The user and assistant messages of the part, oldest first. */
  messages: TranscriptMessage[];
  /** `reflected_through` once this part is reflected on. */
  end: number;
}

/**
 * Splits the messages from `from` into parts the reflection prompt takes whole (it keeps
 * the last {@linkcode REFLECT_LAST_MESSAGES}), of nearly equal size, so a long pending
 * span is covered to its first message instead of losing its beginning.
 *
 * @example
 * ```ts
 * reflectionParts(messagesOf70, 0).map((p) => p.messages.length); // [23, 24, 23]
 * ```
 */
export function reflectionParts(
  messages: readonly TranscriptMessage[],
  from: number,
  size = REFLECT_LAST_MESSAGES,
): ReflectionPart[] {
  const indexed = messages.map((message, index) => ({ message, index }))
    .slice(from).filter(({ message }) => isReflected(message));
  const count = Math.ceil(indexed.length / size);
  const parts: ReflectionPart[] = [];
  for (let p = 0, start = 0; p < count; p++) {
    const stop = Math.round(((p + 1) * indexed.length) / count);
    const slice = indexed.slice(start, stop);
    const last = p === count - 1 ? messages.length : slice.at(-1)!.index + 1;
    parts.push({ messages: slice.map(({ message }) => message), end: last });
    start = stop;
  }
  return parts;
}
