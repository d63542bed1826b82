/**
 * Claims: a reflection split into the statements it makes — each summary sentence, decision,
 * lesson and surprise — within size caps, so each can be checked, stored and recalled on its
 * own. A model reply of any size becomes at most {@linkcode CLAIM_LIMITS}.claims claims.
 */

import { splitSentences } from "./grounding.ts";

/** Where in the reflection a claim comes from. */
export type ClaimKind = "summary" | "decision" | "lesson" | "surprise";

/** One statement of a reflection. */
export interface Claim {
  /** Which part of the reflection it comes from. */
  kind: ClaimKind;
  /** Its place in the reflection, from 0, across all kinds. */
  position: number;
  /** The statement, at most {@linkcode CLAIM_LIMITS}.claimChars characters. */
  text: string;
}

/** Size caps on what a reflection may store. */
export const CLAIM_LIMITS = {
  /** Characters of summary kept; a longer one is cut at a sentence end where possible. */
  summaryChars: 2_000,
  /** Characters of one claim (a decision, lesson, surprise or summary sentence). */
  claimChars: 400,
  /** Claims per reflection; the rest are dropped and counted. */
  claims: 40,
  /** Items per list (decisions, lessons, surprises). */
  listItems: 10,
} as const;

/** The parts of a reflection that make claims. */
export interface ReflectionParts {
  /** The summary: one claim per sentence. */
  summary: string;
  /** Decisions, one claim each. */
  decisions?: readonly string[];
  /** Lessons, one claim each. */
  lessons?: readonly string[];
  /** Surprises, one claim each. */
  surprises?: readonly string[];
}

/** The claims of a reflection and how many were cut by the caps. */
export interface SplitClaims {
  /** The claims, summary sentences first, then decisions, lessons, surprises. */
  claims: Claim[];
  /** Claims dropped beyond {@linkcode CLAIM_LIMITS}.claims (lists beyond listItems included). */
  cut: number;
}

/** Cuts `text` to `max` characters, at the last sentence or word end when there is one. */
export function capText(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const head = trimmed.slice(0, max);
  const sentenceEnd = Math.max(
    head.lastIndexOf(". "),
    head.lastIndexOf("! "),
    head.lastIndexOf("? "),
  );
  if (sentenceEnd > max / 2) return head.slice(0, sentenceEnd + 1);
  const space = head.lastIndexOf(" ");
  return `${head.slice(0, space > max / 2 ? space : max - 1).trimEnd()}…`;
}

/**
 * Splits a reflection into claims: summary sentences (of the capped summary), then each
 * decision, lesson and surprise (first `listItems` of each), every claim capped at
 * `claimChars`, at most `claims` in all.
 *
 * @example
 * ```ts
 * splitClaims({ summary: "Discussed backups. Decided to keep seven.", lessons: ["Test restores"] })
 *   .claims.map((c) => c.kind); // ["summary", "summary", "lesson"]
 * ```
 */
export function splitClaims(parts: ReflectionParts): SplitClaims {
  const texts: [ClaimKind, string][] = [
    ...splitSentences(capText(parts.summary, CLAIM_LIMITS.summaryChars))
      .map((s): [ClaimKind, string] => ["summary", s]),
  ];
  let cut = 0;
  const list = (kind: ClaimKind, items: readonly string[] | undefined) => {
    const kept = (items ?? []).map((t) => t.trim()).filter((t) => t !== "");
    cut += Math.max(0, kept.length - CLAIM_LIMITS.listItems);
    for (const item of kept.slice(0, CLAIM_LIMITS.listItems)) texts.push([kind, item]);
  };
  list("decision", parts.decisions);
  list("lesson", parts.lessons);
  list("surprise", parts.surprises);
  cut += Math.max(0, texts.length - CLAIM_LIMITS.claims);
  const claims = texts.slice(0, CLAIM_LIMITS.claims).map(([kind, text], position) => ({
    kind,
    position,
    text: capText(text, CLAIM_LIMITS.claimChars),
  }));
  return { claims, cut };
}
