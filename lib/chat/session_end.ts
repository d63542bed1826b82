/**
 * The end of a chat: the model reflects on what was said, the reflection is
 * grounded against what the user said and what was retrieved, and stored as
 * an episode; lessons may become procedures. Shown as
 * "Reflecting on session... done. (grounding: 75%)".
 */

import {
  CLAIM_LIMITS,
  type EpisodeResult,
  MIN_MESSAGES_TO_REFLECT,
  proposeProcedures,
  recordEpisode,
} from "../memory/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { ChatSession } from "./chat_session.ts";
import {
  keepEvidence,
  keepMemories,
  markPending,
  markReflected,
  markStarted,
  reflectedThrough,
  reflectionParts,
  savedEvidence,
  savedMemories,
  startedMark,
} from "./reflection_state.ts";

/** The episode and the procedures proposed from its lessons. */
export interface SessionEnd {
  /** The reflection on the session (on its last part), or why there was none. */
  episode: EpisodeResult;
  /** Procedures stored from the session's lessons. */
  procedures: { id: number; problem: string }[];
  /** Each part's reflection, oldest first: a span longer than one prompt is reflected in parts. */
  parts: EpisodeResult[];
  /** Index of the first message reflected on (earlier ones were, before). */
  from: number;
}

/**
 * Reflects on the session from its first unreflected message — all of a pending one, not
 * only this run's — in parts the reflection prompt takes whole, and records in the
 * transcript (saved) how far it got: after each part, or, when a part fails (the model
 * server is down), why, so the rest stays pending. A part already stored (the process
 * stopped before the transcript said so) is not stored again. Null when there is nothing
 * (new) to reflect on or no memory.
 *
 * @throws {MycoError} `storage_failed` when the transcript cannot be saved
 */
export async function endSession(
  session: ChatSession,
  client: ModelClient,
): Promise<SessionEnd | null> {
  const store = session.memory;
  const transcript = session.transcript;
  const from = reflectFrom(session);
  const parts = reflectionParts(transcript.messages, from);
  if (store === null || unreflectedCount(session) < MIN_MESSAGES_TO_REFLECT) return null;
  const clock = session.turns.clock;
  // The transcript takes over what this run retrieved and recalled: saved with it, a failed
  // part's evidence and memories wait there for the next attempt.
  keepEvidence(transcript, session.turns.retrieved);
  session.turns.retrieved.length = 0;
  keepMemories(transcript, session.turns.recalledClaims);
  session.turns.recalledClaims.length = 0;
  const context = savedEvidence(transcript);
  const memories = savedMemories(transcript);
  const results: EpisodeResult[] = [];
  const procedures: SessionEnd["procedures"] = [];
  for (const part of parts) {
    const startedAt = part.messages[0]?.timestamp ?? null;
    if (storedBefore(session, part.end, startedAt, part.messages.length)) {
      // Reflected before, but the process stopped before the transcript said so.
      markReflected(transcript, part.end);
      await session.save();
      continue;
    }
    markStarted(transcript, part.end, iso(clock.now()));
    await session.save();
    const episode = await recordEpisode({
      name: transcript.name,
      model: session.model,
      startedAt,
      messages: part.messages,
      context,
      memories,
    }, {
      store,
      complete: (instructions, prompt) =>
        client.complete({ model: session.model, instructions, prompt, temperature: 0.3 }),
      embedder: session.turns.embedder,
      now: () => clock.now(),
    });
    results.push(episode);
    if (!episode.ok) {
      markPending(transcript, `reflection failed: ${episode.error}`, iso(clock.now()));
      await session.save();
      return { episode, procedures, parts: results, from };
    }
    if (episode.groundedLessons.length > 0) {
      const proposed = proposeProcedures(episode.groundedLessons, store.procedures.list());
      for (const p of proposed) {
        const row = store.procedures.add({
          problem: p.problem,
          solution: p.solution,
          source: "lesson",
          created_at: iso(clock.now()),
        });
        procedures.push({ id: row.id, problem: row.problem });
      }
    }
    markReflected(transcript, part.end);
    await session.save();
  }
  const last = results.at(-1);
  return last === undefined ? null : { episode: last, procedures, parts: results, from };
}

/**
 * How many user and assistant messages of the session wait for a reflection: this run's,
 * and those of earlier runs whose reflection failed or never ran.
 */
export function unreflectedCount(session: ChatSession): number {
  return reflectionParts(session.transcript.messages, reflectFrom(session))
    .reduce((n, part) => n + part.messages.length, 0);
}

// A transcript from before `reflected_through` was kept: this run's messages.
function reflectFrom(session: ChatSession): number {
  const { transcript } = session;
  return reflectedThrough(transcript) ?? Math.min(session.runStart, transcript.messages.length);
}

/** True when the part ending at `end` began to be stored and its episode is there. */
function storedBefore(
  session: ChatSession,
  end: number,
  startedAt: string | null,
  messageCount: number,
): boolean {
  const started = startedMark(session.transcript);
  if (started?.end !== end || !startedAt || session.memory === null) return false;
  const { name } = session.transcript;
  return session.memory.episodes.findSpan(name, startedAt, messageCount, started.at) !== null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Characters of a held-back claim shown at the end of a chat. */
export const HELD_BACK_SHOWN_CHARS = 80;

/**
 * The lines shown after "Reflecting on session...": the share of grounded claims, then one
 * `not recalled: "<claim>" — <reason>` line per held-back claim — of every part, when a long
 * span was reflected in parts.
 */
export function describeSessionEnd(end: SessionEnd): string {
  const { episode } = end;
  if (!episode.ok) {
    return `failed: ${episode.error}. The session stays pending; it will be reflected next time ` +
      "(mycoswarm memory --pending).";
  }
  const parts = reflectedParts(end);
  const claims = parts.flatMap((p) => p.claims);
  const lines = [`done. (grounding: ${Math.round(sessionGrounding(end) * 100)}%)`];
  if (parts.some((p) => p.partial)) {
    lines.push("  (the model's reflection was broken JSON: only its complete parts were kept)");
  }
  if (parts.some((p) => p.plain)) {
    lines.push("  (the model's reflection was not usable JSON: a plain summary was stored)");
  }
  if (episode.reflection.tone !== "neutral") lines.push(`  Tone: ${episode.reflection.tone}`);
  for (const lesson of parts.flatMap((p) => p.groundedLessons)) lines.push(`  Lesson: ${lesson}`);
  for (const claim of claims) {
    if (!claim.grounded) lines.push(heldBackLine(claim.text, claim.reason));
  }
  const cut = parts.reduce((n, p) => n + p.cut, 0);
  if (cut > 0 || parts.some((p) => p.summaryCut)) {
    lines.push(
      `  (reflection too long: ${
        cut > 0 ? `${cut} more claims were cut` : "the summary was cut"
      }; a reflection keeps at most ${CLAIM_LIMITS.claims} claims and ` +
        `${CLAIM_LIMITS.summaryChars} characters of summary)`,
    );
  }
  if (!parts.some((p) => p.indexed)) {
    lines.push("  (no claim could be grounded: stored, but it will not be recalled)");
  }
  for (const p of end.procedures) lines.push(`  New procedure #${p.id}: ${p.problem}`);
  return lines.join("\n");
}

/** The parts reflected (all of them, unless one failed): a long span is reflected in parts. */
export function reflectedParts(end: SessionEnd): Extract<EpisodeResult, { ok: true }>[] {
  const parts = end.parts.filter((p) => p.ok);
  return parts.length > 0 || !end.episode.ok ? parts : [end.episode];
}

/** The share of the session's checked claims that are grounded, over all its parts; 0..1. */
export function sessionGrounding(end: SessionEnd): number {
  const checked = reflectedParts(end).flatMap((p) => p.claims).filter((c) => c.checked);
  return checked.length === 0 ? 1 : checked.filter((c) => c.grounded).length / checked.length;
}

/** `  not recalled: "<claim, cut at 80 chars>" — <reason>`, as at the end of a chat. */
export function heldBackLine(text: string, reason: string): string {
  const shown = text.length > HELD_BACK_SHOWN_CHARS
    ? `${text.slice(0, HELD_BACK_SHOWN_CHARS - 1)}…`
    : text;
  return `  not recalled: "${shown}" — ${reason}`;
}
