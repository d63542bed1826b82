/**
 * The end of a chat: reflect on it, check each claim of the reflection against what was
 * really said, and store it as an episode with its claims, in one transaction. Only grounded
 * claims are indexed and recalled; the others are held back (stored, listed to the user).
 * A failed reflection stores nothing and changes nothing.
 */

import { isMycoError } from "../core/mod.ts";
import type { Store } from "../store/mod.ts";
import { type ClaimVerdict, groundReflection, type MemoryClaim } from "./claim_grounding.ts";
import { capText, CLAIM_LIMITS } from "./claims.ts";
import { type Embedder, embedInBatches } from "./embedder.ts";
import {
  parseReflection,
  plainReflection,
  type ReflectedMessage,
  type Reflection,
  REFLECTION_INSTRUCTIONS,
  reflectionTranscript,
  salvageReflection,
} from "./reflection.ts";
import { findPoisonedClaims } from "./self_correction.ts";

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
  /** Evidence besides the user's words: documents, web results, tool output of the session. */
  context: readonly string[];
  /** Memory claims recalled in the session: never evidence, they lend their standing only. */
  memories?: readonly MemoryClaim[];
}

/** What reflecting needs. */
export interface EpisodeDeps {
  /** Where the episode is written. */
  store: Store;
  /** One non-streamed model call (system, user) → text; throws when the server fails. */
  complete: (system: string, user: string) => Promise<string>;
  /** Embeds the recalled text and lessons; null stores them for keyword search only. */
  embedder: Embedder | null;
  /** The time in ms since the epoch, stamped as the episode's end. */
  now: () => number;
}

/** A claim as stored, with its verdict and whether it was quarantined as a repetition. */
export interface StoredClaimVerdict extends ClaimVerdict {
  /** True when it repeats what another session's unverified claims said. */
  quarantined: boolean;
}

/** The outcome, for the "Reflecting on session... done." line. */
export type EpisodeResult =
  | {
    ok: true;
    episodeId: number;
    /** The reflection as stored (capped). */
    reflection: Reflection;
    /** The share of grounded claims, 0..1. */
    grounding: number;
    /** True when at least one claim is grounded: the episode can be recalled. */
    indexed: boolean;
    /** True when the structured reflection failed and a plain summary stands in. */
    plain: boolean;
    /** True when the reflection was broken JSON and only its complete parts were kept. */
    partial: boolean;
    /** Every claim with its verdict; the ungrounded ones are held back. */
    claims: StoredClaimVerdict[];
    /** Claims beyond the cap, not stored. */
    cut: number;
    /** True when the summary was longer than the cap and was cut. */
    summaryCut: boolean;
    /** The lessons that are grounded (only these may become procedures). */
    groundedLessons: string[];
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
  let raw: Reflection | null = null;
  let plain = false;
  let partial = false;
  try {
    const reply = await deps.complete(REFLECTION_INSTRUCTIONS, transcript);
    raw = parseReflection(reply);
    if (raw === null) {
      raw = salvageReflection(reply);
      partial = raw !== null;
    }
    if (raw === null) {
      plain = true;
      const summary = await deps.complete(
        "Summarise this conversation in one or two plain sentences. Use only what is in it.",
        transcript,
      );
      if (summary.trim() !== "") raw = plainReflection(summary);
    }
  } catch (error) {
    return { ok: false, error: isMycoError(error) ? error.message : String(error) };
  }
  if (raw === null) return { ok: false, error: "the model gave no summary" };
  const reflection = capReflection(raw);

  const evidence = [
    ...input.messages.filter((m) => m.role === "user").map((m) => m.content),
    ...input.context,
  ];
  const verdict = groundReflection(raw, evidence, input.memories ?? []);
  const poison = findPoisonedClaims(verdict.claims, deps.store.episodes.claims.unverified());
  const claims = verdict.claims.map((c) => ({
    ...c,
    quarantined: poison.positions.includes(c.position),
  }));
  const grounded = (kind: string) =>
    claims.filter((c) => c.kind === kind && c.grounded).map((c) => c.text);
  const recallText = claims.filter((c) => c.grounded && c.kind !== "lesson")
    .map((c) => c.text).join(" ");
  const groundedLessons = grounded("lesson");
  const lessonHeldBack = reflection.lessons.map((l) => !groundedLessons.includes(l));
  const vectors = verdict.indexed
    ? await embedQuietly(deps.embedder, [recallText || reflection.summary, ...reflection.lessons])
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
    grounding: verdict.score,
    indexed: verdict.indexed,
    summaryEmbedding: vectors?.[0] ?? null,
    lessonEmbeddings: reflection.lessons.map((_, i) => vectors?.[i + 1] ?? null),
    embeddingModel: vectors ? deps.embedder!.model : null,
    claims: claims.map((c) => ({
      kind: c.kind,
      position: c.position,
      text: c.text,
      grounded: c.grounded,
      reason: c.reason,
      missing: c.missing,
      quarantined: c.quarantined,
    })),
    recallText,
    lessonHeldBack,
    quarantineClaimIds: poison.ids,
  });
  return {
    ok: true,
    episodeId,
    reflection,
    grounding: verdict.score,
    indexed: verdict.indexed,
    plain,
    partial,
    claims,
    cut: verdict.cut,
    summaryCut: raw.summary.length > CLAIM_LIMITS.summaryChars,
    groundedLessons,
  };
}

/** The reflection within the size caps: a 300 kB summary is never stored whole. */
function capReflection(r: Reflection): Reflection {
  const list = (items: string[]) =>
    items.slice(0, CLAIM_LIMITS.listItems).map((t) => capText(t, CLAIM_LIMITS.claimChars));
  return {
    summary: capText(r.summary, CLAIM_LIMITS.summaryChars),
    decisions: list(r.decisions),
    lessons: list(r.lessons),
    surprises: list(r.surprises),
    tone: r.tone,
  };
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
