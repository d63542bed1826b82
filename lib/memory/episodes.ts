/**
 * The end of a chat: reflect on it, check the reflection against what was
 * really said, and store it as an episode. Only a well-grounded summary is
 * indexed for retrieval; a failed reflection stores nothing and changes nothing.
 */

import { isMycoError } from "../core/mod.ts";
import type { Store } from "../store/mod.ts";
import { type Embedder, embedInBatches } from "./embedder.ts";
import { INDEX_MIN_GROUNDING } from "./grounding.ts";
import {
  parseReflection,
  plainReflection,
  type ReflectedMessage,
  type Reflection,
  REFLECTION_INSTRUCTIONS,
  reflectionTranscript,
} from "./reflection.ts";

/** The session being reflected on. */
export interface EpisodeInput {
  /** The session's name. */
  name: string;
  /** The model that answered, if known. */
  model: string | null;
  /** When the session began (ISO 8601), if known. */
  startedAt: string | null;
  /** The conversation to reflect on. */
  messages: readonly ReflectedMessage[];
  /** What the grounding check may trust besides the user's words: retrieved context. */
  context: readonly string[];
}

/** What reflecting needs. */
export interface EpisodeDeps {
  /** Where the episode is written. */
  store: Store;
  /** One non-streamed model call (system, user) → text; throws when the server fails. */
  complete: (system: string, user: string) => Promise<string>;
  /** Embeds the summary and lessons; null stores them for keyword search only. */
  embedder: Embedder | null;
  /** Scores a reflection against the evidence, 0..1 (see grounding.ts). */
  grounding: (reflection: Reflection, evidence: readonly string[]) => number;
  /** The time in ms since the epoch, stamped as the episode's end. */
  now: () => number;
}

/** The outcome, for the "Reflecting on session... done." line. */
export type EpisodeResult =
  | {
    ok: true;
    episodeId: number;
    reflection: Reflection;
    grounding: number;
    indexed: boolean;
    /** True when the structured reflection failed and a plain summary stands in. */
    plain: boolean;
  }
  | { ok: false; error: string };

/** Sessions shorter than this are not worth a reflection. */
export const MIN_MESSAGES_TO_REFLECT = 2;

/** Reflects on a finished session and stores the episode. Never throws for model failures. */
export async function recordEpisode(
  input: EpisodeInput,
  deps: EpisodeDeps,
): Promise<EpisodeResult> {
  const transcript = reflectionTranscript(input.messages);
  let reflection: Reflection | null = null;
  let plain = false;
  try {
    reflection = parseReflection(await deps.complete(REFLECTION_INSTRUCTIONS, transcript));
    if (reflection === null) {
      plain = true;
      const summary = await deps.complete(
        "Summarise this conversation in one or two plain sentences. Use only what is in it.",
        transcript,
      );
      if (summary.trim() !== "") reflection = plainReflection(summary);
    }
  } catch (error) {
    return { ok: false, error: isMycoError(error) ? error.message : String(error) };
  }
  if (reflection === null) return { ok: false, error: "the model gave no summary" };

  const evidence = [
    ...input.messages.filter((m) => m.role === "user").map((m) => m.content),
    ...input.context,
  ];
  const grounding = deps.grounding(reflection, evidence);
  const indexed = grounding >= INDEX_MIN_GROUNDING;
  const vectors = indexed
    ? await embedQuietly(deps.embedder, [reflection.summary, ...reflection.lessons])
    : null;
  const episodeId = deps.store.episodes.add({
    name: input.name,
    model: input.model,
    started_at: input.startedAt,
    ended_at: new Date(deps.now()).toISOString(),
    message_count: input.messages.length,
    summary: reflection.summary,
    decisions: reflection.decisions,
    lessons: reflection.lessons,
    surprises: reflection.surprises,
    tone: reflection.tone,
    grounding,
    indexed,
    summaryEmbedding: vectors?.[0] ?? null,
    lessonEmbeddings: reflection.lessons.map((_, i) => vectors?.[i + 1] ?? null),
    embeddingModel: vectors ? deps.embedder!.model : null,
  });
  return { ok: true, episodeId, reflection, grounding, indexed, plain };
}

/** Embeddings, or null when there is no model or it fails (keyword search still works). */
async function embedQuietly(
  embedder: Embedder | null,
  texts: string[],
): Promise<Float32Array[] | null> {
  if (embedder === null) return null;
  try {
    return await embedInBatches(embedder, texts);
  } catch {
    return null;
  }
}
