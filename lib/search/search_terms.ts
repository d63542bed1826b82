/**
 * The terms the keyword index sees in a text, for callers that judge a hit's relevance
 * themselves (how much of a query a hit covers): the same tokenizer as the index, so a word
 * matches in that judgement exactly when it matches in the search.
 */

import { tokenize } from "./_tokenizer.ts";

/**
 * The distinct index terms of `text`: lower-cased, accents folded, stop words dropped.
 *
 * @param text Any text: a query, a summary.
 * @returns Each term once, in first-seen order.
 *
 * @example
 * ```ts
 * searchTerms("What about the Postgres autovacuum?"); // ["postgres", "autovacuum"]
 * ```
 */
export function searchTerms(text: string): string[] {
  return [...new Set(tokenize(text))];
}
