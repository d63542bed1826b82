/**
 * User facts: what `/remember` stores, when a fact goes stale, and which facts an answer
 * used (facts_prompt.ts puts them in the prompt). Pure; the store keeps the rows.
 */

import type { FactRow, FactType } from "../store/mod.ts";

/** Prefixes that set a fact's type, as in mycoSwarm: `/remember pref: dark mode`. */
const PREFIXES: [RegExp, FactType][] = [
  [/^(pref|preference):\s*/i, "preference"],
  [/^project:\s*/i, "project"],
  [/^(temp|ephemeral):\s*/i, "ephemeral"],
  [/^fact:\s*/i, "fact"],
];

/** Days without use after which a fact is stale. */
export const STALE_AFTER_DAYS: Record<FactType, number> = {
  fact: 30,
  preference: 30,
  project: 30,
  ephemeral: 7,
};

/** Splits `/remember` text into its type and the fact itself. */
export function parseFactText(input: string): { type: FactType; text: string } {
  const trimmed = input.trim();
  for (const [prefix, type] of PREFIXES) {
    if (prefix.test(trimmed)) return { type, text: trimmed.replace(prefix, "").trim() };
  }
  return { type: "fact", text: trimmed };
}

/** True when the fact has not been used for its type's stale period. */
export function isStale(fact: FactRow, now: number): boolean {
  const last = Date.parse(fact.last_referenced_at);
  if (Number.isNaN(last)) return true;
  return (now - last) / 86_400_000 >= STALE_AFTER_DAYS[fact.type];
}

const STOP = new Set(["the", "and", "for", "with", "that", "this", "are", "was", "you", "your"]);

/**
 * The facts an answer used: those sharing at least two content words with it
 * (or their only content word, for one-word facts). Used facts are refreshed.
 */
export function factsUsedIn(answer: string, facts: readonly FactRow[]): FactRow[] {
  const answerWords = contentWords(answer);
  return facts.filter((fact) => {
    const words = [...contentWords(fact.text)];
    const shared = words.filter((w) => answerWords.has(w)).length;
    return shared >= Math.min(2, words.length) && words.length > 0;
  });
}

/** The words of `text` that carry meaning (3+ letters, not a common word), lower-cased. */
export function contentWords(text: string): Set<string> {
  return new Set(
    text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !STOP.has(w)),
  );
}
