/**
 * Research's parallel steps: every query searched at once and every chosen page read at
 * once, each as a task through an injected {@linkcode RunTask} (this node, or the swarm's
 * dispatcher spreading them over light nodes).
 */

import { createError, isMycoError, type MycoError } from "../core/mod.ts";
import type { RunTask } from "../orchestrator/mod.ts";
import type { WebResult } from "../web/mod.ts";
import { searchHits } from "./research_plan.ts";

/**
 * The Python mycoSwarm's web task settings: above normal priority, a minute each; a search
 * that failed on another node is a web failure (exit 4), like one that failed here.
 */
const WEB_TASK = { priority: 7, timeoutSeconds: 60, failureCode: "web_unavailable" } as const;

/** What one query's search gave. */
export type SearchOutcome =
  | { query: string; ok: true; hits: WebResult[] }
  | { query: string; ok: false; error: unknown };

/**
 * Searches every query in parallel (one `web_search` task each).
 *
 * @returns one outcome per query, in the queries' order; failures are kept, not thrown
 */
export function searchAll(
  queries: readonly string[],
  runTask: RunTask,
  options: { maxResults?: number | undefined; signal?: AbortSignal | undefined } = {},
): Promise<SearchOutcome[]> {
  return Promise.all(queries.map(async (query): Promise<SearchOutcome> => {
    try {
      const payload = { query, max_results: options.maxResults ?? 5 };
      const result = await runTask("web_search", payload, { ...WEB_TASK, signal: options.signal });
      return { query, ok: true, hits: searchHits(result) };
    } catch (error) {
      return { query, ok: false, error };
    }
  }));
}

/**
 * The error for a research whose every search failed: the first failure itself when it is
 * a MycoError (e.g. "Web search failed with every provider: ..."), else `web_unavailable`.
 */
export function allSearchesFailed(outcomes: readonly SearchOutcome[]): MycoError {
  const first = outcomes.find((o) => !o.ok) as { error: unknown } | undefined;
  if (isMycoError(first?.error)) return first.error;
  const why = first?.error instanceof Error ? first.error.message : String(first?.error);
  return createError("web_unavailable", `Web search failed: ${why}`, { cause: first?.error });
}

/** A page as read for research. */
export interface PageText {
  url: string;
  title: string;
  text: string;
}

/** What reading the chosen pages gave. */
export interface PagesRead {
  /** By the URL asked for. */
  pages: Map<string, PageText>;
  /** Pages that could not be read, and why (one line). */
  skipped: { url: string; reason: string }[];
}

/** Reads pages in parallel (one `web_fetch` task each); a page that fails is skipped. */
export async function readPages(
  urls: readonly string[],
  runTask: RunTask,
  options: { maxLength?: number | undefined; signal?: AbortSignal | undefined } = {},
): Promise<PagesRead> {
  const read: PagesRead = { pages: new Map(), skipped: [] };
  await Promise.all(urls.map(async (url) => {
    try {
      const payload = { url, max_length: options.maxLength ?? 50_000 };
      const page = await runTask("web_fetch", payload, { ...WEB_TASK, signal: options.signal });
      const { title, text } = (page ?? {}) as { title?: unknown; text?: unknown };
      if (typeof text !== "string" || text.trim() === "") throw new Error("the page has no text");
      read.pages.set(url, { url, title: typeof title === "string" ? title : "", text });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      read.skipped.push({ url, reason: why.split("\n")[0] ?? why });
    }
  }));
  return read;
}
