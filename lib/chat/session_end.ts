/**
 * The end of a chat: the model reflects on what was said, the reflection is
 * grounded against what the user said and what was retrieved, and stored as
 * an episode; lessons may become procedures. Shown as
 * "Reflecting on session... done. (grounding: 75%)".
 */

import {
  type EpisodeResult,
  MIN_MESSAGES_TO_REFLECT,
  proposeProcedures,
  recordEpisode,
  reflectionGrounding,
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
  }, {
    store,
    complete: (instructions, prompt) =>
      client.complete({ model: session.model, instructions, prompt, temperature: 0.3 }),
    embedder: session.turns.embedder,
    grounding: (reflection, evidence) => reflectionGrounding(reflection, evidence).score,
    now: () => clock.now(),
  });
  const procedures: SessionEnd["procedures"] = [];
  if (episode.ok && episode.indexed && episode.reflection.lessons.length > 0) {
    const proposed = proposeProcedures(episode.reflection.lessons, store.procedures.list());
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

/** The lines shown after "Reflecting on session...". */
export function describeSessionEnd(end: SessionEnd): string {
  const { episode } = end;
  if (!episode.ok) return `failed: ${episode.error}. Nothing was stored; your memory is unchanged.`;
  const percent = Math.round(episode.grounding * 100);
  const lines = [`done. (grounding: ${percent}%)`];
  if (episode.reflection.tone !== "neutral") lines.push(`  Tone: ${episode.reflection.tone}`);
  for (const lesson of episode.reflection.lessons) lines.push(`  Lesson: ${lesson}`);
  if (!episode.indexed) {
    lines.push("  (grounding too low: stored, but it will not be recalled)");
  }
  for (const p of end.procedures) lines.push(`  New procedure #${p.id}: ${p.problem}`);
  return lines.join("\n");
}
