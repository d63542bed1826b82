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

/** The episode and the procedures proposed from its lessons. */
export interface SessionEnd {
  /** The reflection on the session, or why there was none. */
  episode: EpisodeResult;
  /** Procedures stored from the session's lessons. */
  procedures: { id: number; problem: string }[];
}

/**
 * Reflects on the messages of this run (a resumed session's older messages
 * were reflected on before). Null when there is nothing to reflect on or no memory.
 */
export async function endSession(
  session: ChatSession,
  client: ModelClient,
): Promise<SessionEnd | null> {
  const store = session.memory;
  const messages = session.transcript.messages.slice(session.runStart)
    .filter((m) => m.role === "user" || m.role === "assistant");
  if (store === null || messages.length < MIN_MESSAGES_TO_REFLECT) return null;
  const clock = session.turns.clock;
  const episode = await recordEpisode({
    name: session.transcript.name,
    model: session.model,
    startedAt: messages[0]?.timestamp ?? null,
    messages,
    context: session.turns.retrieved,
    memories: session.turns.recalledClaims,
  }, {
    store,
    complete: (instructions, prompt) =>
      client.complete({ model: session.model, instructions, prompt, temperature: 0.3 }),
    embedder: session.turns.embedder,
    now: () => clock.now(),
  });
  const procedures: SessionEnd["procedures"] = [];
  if (episode.ok && episode.groundedLessons.length > 0) {
    const proposed = proposeProcedures(episode.groundedLessons, store.procedures.list());
    for (const p of proposed) {
      const row = store.procedures.add({
        problem: p.problem,
        solution: p.solution,
        source: "lesson",
        created_at: new Date(clock.now()).toISOString(),
      });
      procedures.push({ id: row.id, problem: row.problem });
    }
  }
  return { episode, procedures };
}

/** Characters of a held-back claim shown at the end of a chat. */
export const HELD_BACK_SHOWN_CHARS = 80;

/**
 * The lines shown after "Reflecting on session...": the share of grounded claims, then one
 * `not recalled: "<claim>" — <reason>` line per held-back claim.
 */
export function describeSessionEnd(end: SessionEnd): string {
  const { episode } = end;
  if (!episode.ok) return `failed: ${episode.error}. Nothing was stored; your memory is unchanged.`;
  const percent = Math.round(episode.grounding * 100);
  const lines = [`done. (grounding: ${percent}%)`];
  if (episode.partial) {
    lines.push("  (the model's reflection was broken JSON: only its complete parts were kept)");
  }
  if (episode.plain) {
    lines.push("  (the model's reflection was not usable JSON: a plain summary was stored)");
  }
  if (episode.reflection.tone !== "neutral") lines.push(`  Tone: ${episode.reflection.tone}`);
  for (const lesson of episode.groundedLessons) lines.push(`  Lesson: ${lesson}`);
  for (const claim of episode.claims) {
    if (!claim.grounded) lines.push(heldBackLine(claim.text, claim.reason));
  }
  if (episode.summaryCut || episode.cut > 0) {
    lines.push(
      `  (reflection too long: ${
        episode.cut > 0 ? `${episode.cut} more claims were cut` : "the summary was cut"
      }; a reflection keeps at most ${CLAIM_LIMITS.claims} claims and ` +
        `${CLAIM_LIMITS.summaryChars} characters of summary)`,
    );
  }
  if (!episode.indexed) {
    lines.push("  (no claim could be grounded: stored, but it will not be recalled)");
  }
  for (const p of end.procedures) lines.push(`  New procedure #${p.id}: ${p.problem}`);
  return lines.join("\n");
}

/** `  not recalled: "<claim, cut at 80 chars>" — <reason>`, as at the end of a chat. */
export function heldBackLine(text: string, reason: string): string {
  const shown = text.length > HELD_BACK_SHOWN_CHARS
    ? `${text.slice(0, HELD_BACK_SHOWN_CHARS - 1)}…`
    : text;
  return `  not recalled: "${shown}" — ${reason}`;
}
