/** Rules for search queries and result counts, shared by every provider. */

import { createError } from "../core/mod.ts";

/** Results returned when the caller does not say. */
export const DEFAULT_LIMIT = 5;
/** The most results one search returns (Brave's own cap per request). */
export const MAX_LIMIT = 20;
/** Longer queries are refused: engines cut or reject them anyway. */
export const MAX_QUERY_CHARS = 500;

/**
 * Trims a query and collapses its whitespace.
 *
 * @throws MycoError `invalid_input` when nothing is left or it is too long
 * @example
 * ```ts
 * cleanQuery("  deno \n fmt "); // "deno fmt"
 * ```
 */
export function cleanQuery(query: string): string {
  const clean = query.replace(/\s+/g, " ").trim();
  if (clean === "") {
    throw createError("invalid_input", "The search query is empty: type some words to search for");
  }
  if (clean.length > MAX_QUERY_CHARS) {
    throw createError(
      "invalid_input",
      `The search query is ${clean.length} characters long; keep it under ${MAX_QUERY_CHARS}`,
    );
  }
  return clean;
}

/** The query as a cache key: cleaned and lower-cased (engines ignore case). */
export function queryKey(query: string): string {
  return cleanQuery(query).toLowerCase();
}

/**
 * The number of results to ask for: {@linkcode DEFAULT_LIMIT} when unset or not a
 * number, else rounded down and clamped to 1..{@linkcode MAX_LIMIT}.
 */
export function clampLimit(limit?: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}
