/**
 * The facts block of the system prompt, within its budget. When every fact fits, all are
 * shown. When they do not, facts are kept by importance — preferences first (they shape
 * every answer: "always answer in Norwegian"), then the facts that share words with the
 * message, then the most recently used — and the rest are counted in a last line
 * ("12 more facts not shown"), so the block shrinks instead of vanishing. Pure.
 */

import type { FactRow, FactType } from "../store/mod.ts";
import { contentWords } from "./facts.ts";

/** Share of the prompt's context budget the facts block may take; the rest is for recall. */
export const FACTS_BUDGET_SHARE = 0.5;

/** Prompt headings, in the order facts are shown. */
const HEADINGS: [FactType, string][] = [
  ["fact", "Known facts about the user:"],
  ["preference", "User preferences:"],
  ["project", "Active projects:"],
  ["ephemeral", "Temporary notes:"],
];

/** Options for {@linkcode factsPromptSection}. */
export interface FactsSectionOptions {
  /** The user's message: facts sharing words with it come right after preferences. @default "" */
  message?: string;
  /** Characters the block may take. @default Infinity */
  budgetChars?: number;
}

/** The facts block and what went into it. */
export interface FactsSection {
  /** The block, grouped by type; "" when there are no facts (or no room for any line). */
  text: string;
  /** The facts shown, most important first. */
  shown: FactRow[];
  /** How many facts did not fit (counted in the block's last line). */
  leftOut: number;
}

/**
 * The facts block of the system prompt, grouped by type, within `budgetChars`.
 *
 * @param facts Every stored fact.
 * @param options The message (for relevance) and the budget.
 * @returns The block, the facts shown and how many were left out.
 *
 * @example
 * ```ts
 * factsPromptSection(store.facts.list(), { message: "Which pump?", budgetChars: 400 }).text;
 * // "User preferences:\n- always answer in Norwegian\n\n12 more facts not shown."
 * ```
 */
export function factsPromptSection(
  facts: readonly FactRow[],
  options: FactsSectionOptions = {},
): FactsSection {
  const budget = options.budgetChars ?? Infinity;
  const all = render(facts, 0);
  if (all.length <= budget) return { text: all, shown: [...facts], leftOut: 0 };
  // Room for the count line at its longest, then lines by importance while they fit
  // (a long fact that does not fit leaves room for shorter, less important ones).
  let room = budget - leftOutLine(facts.length).length - 2;
  const headed = new Set<FactType>();
  const shown: FactRow[] = [];
  for (const fact of byImportance(facts, options.message ?? "")) {
    const heading = headed.has(fact.type) ? 0 : headingOf(fact.type).length + 2;
    const cost = heading + line(fact).length + 1;
    if (cost > room) continue;
    room -= cost;
    headed.add(fact.type);
    shown.push(fact);
  }
  const text = render(shown, facts.length - shown.length);
  if (text.length > budget) return { text: "", shown: [], leftOut: facts.length };
  return { text, shown, leftOut: facts.length - shown.length };
}

/** Preferences, then facts sharing more words with the message, then the most recently used. */
function byImportance(facts: readonly FactRow[], message: string): FactRow[] {
  const words = contentWords(message);
  const shared = new Map(
    facts.map((f) => [f.id, [...contentWords(f.text)].filter((w) => words.has(w)).length]),
  );
  const rank = (f: FactRow) => (f.type === "preference" ? 1 : 0);
  return [...facts].sort((a, b) =>
    rank(b) - rank(a) ||
    shared.get(b.id)! - shared.get(a.id)! ||
    b.last_referenced_at.localeCompare(a.last_referenced_at) ||
    b.id - a.id
  );
}

function render(facts: readonly FactRow[], leftOut: number): string {
  const blocks = HEADINGS.map(([type, heading]) => {
    const lines = facts.filter((f) => f.type === type).map(line);
    return lines.length ? `${heading}\n${lines.join("\n")}` : "";
  }).filter((b) => b !== "");
  if (leftOut > 0) blocks.push(leftOutLine(leftOut));
  return blocks.join("\n\n");
}

function line(fact: FactRow): string {
  return `- ${fact.text}`;
}

function headingOf(type: FactType): string {
  return HEADINGS.find(([t]) => t === type)![1];
}

function leftOutLine(count: number): string {
  return `${count} more fact${count === 1 ? "" : "s"} not shown.`;
}
