/**
 * The `web_search` and `web_fetch` tasks: I/O-bound work a light node can take off the GPU
 * node. Both run lib/web with this node's providers, cache and SSRF policy.
 *
 * - `web_search` `{query, max_results?}` (1–20, default 5) →
 *   `{query, results: [{title, url, snippet}], count, provider, cached}`
 * - `web_fetch` `{url, max_length?}` (default 50000 characters) →
 *   `{url, status, title, text, length, truncated}`
 *
 * @module
 */

import {
  type Fetch,
  type Logger,
  optionalInteger,
  optionalString,
  requireOne,
} from "../core/mod.ts";
import {
  createProviders,
  fetchPage,
  type FetchPageOptions,
  MAX_LIMIT,
  type SearchProvider,
  searchWeb,
  type WebCache,
  type WebResult,
} from "../web/mod.ts";
import type { TaskHandler, TaskHandlers, TaskPayload } from "./types.ts";

/** Characters of page text `web_fetch` returns unless asked (the Python mycoSwarm's default). */
export const DEFAULT_MAX_LENGTH = 50_000;
/** The most characters one `web_fetch` returns: the page reader's own 2 MiB limit. */
export const MAX_LENGTH = 2 * 1024 * 1024;

/** How this node searches and reads (built from the config by {@linkcode webHandlerOptions}). */
export interface WebHandlerOptions {
  /** Tried in order until one answers. */
  providers: readonly SearchProvider[];
  /** Caches search results and pages. @default none */
  cache?: WebCache | null | undefined;
  /** Page limits and the SSRF policy (allowPrivate, ownApiPort). @default fetchPage's */
  page?: Omit<FetchPageOptions, "signal"> | undefined;
  /** Told about each provider that failed before one answered. */
  logger?: Logger | undefined;
}

/** The `web_search` result. */
export interface WebSearchResult {
  query: string;
  results: WebResult[];
  count: number;
  provider: string;
  cached: boolean;
}

/** The `web_fetch` result. */
export interface WebFetchResult {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  title: string;
  text: string;
  /** Characters of `text`. */
  length: number;
  /** The page was cut at `max_length`, the byte limit or the time limit. */
  truncated: boolean;
}

function searchInput(payload: TaskPayload) {
  requireOne(payload, ["query"], { parent: "payload" });
  return {
    query: optionalString(payload, "query", { nonEmpty: true, parent: "payload" })!,
    limit: optionalInteger(payload, "max_results", { min: 1, max: MAX_LIMIT, parent: "payload" }),
  };
}

function fetchInput(payload: TaskPayload) {
  requireOne(payload, ["url"], { parent: "payload" });
  return {
    url: optionalString(payload, "url", { nonEmpty: true, parent: "payload" })!,
    maxLength:
      optionalInteger(payload, "max_length", { min: 1, max: MAX_LENGTH, parent: "payload" }) ??
        DEFAULT_MAX_LENGTH,
  };
}

/** The `web_search` handler. */
export function webSearchHandler(options: WebHandlerOptions): TaskHandler {
  return {
    validate: (payload) => void searchInput(payload),
    async run(payload, ctx): Promise<WebSearchResult> {
      const { query, limit } = searchInput(payload);
      const found = await searchWeb(query, {
        providers: options.providers,
        limit,
        cache: options.cache,
        signal: ctx.signal,
        logger: options.logger,
      });
      return {
        query: found.query,
        results: found.results,
        count: found.results.length,
        provider: found.provider,
        cached: found.cached,
      };
    },
  };
}

/** The `web_fetch` handler. */
export function webFetchHandler(options: WebHandlerOptions & { fetch: Fetch }): TaskHandler {
  return {
    validate: (payload) => void fetchInput(payload),
    async run(payload, ctx): Promise<WebFetchResult> {
      const { url, maxLength } = fetchInput(payload);
      // Not options.fetch: pages go through fetchPage's own transport, pinned to the
      // addresses its SSRF guard checked.
      const page = await fetchPage(url, { ...options.page, signal: ctx.signal });
      const text = page.text.slice(0, maxLength);
      return {
        url: page.url,
        status: page.status,
        title: page.title,
        text,
        length: text.length,
        truncated: page.truncated || page.text.length > maxLength,
      };
    },
  };
}

/**
 * Both web handlers. Without `web` settings: DuckDuckGo alone, no cache, public pages only.
 *
 * @example
 * ```ts
 * const handlers = { ...webHandlers({ fetch, web: webHandlerOptions(config, { fetch }) }) };
 * ```
 */
export function webHandlers(
  deps: { fetch: Fetch; web?: WebHandlerOptions | undefined },
): Required<Pick<TaskHandlers, "web_search" | "web_fetch">> {
  const web = deps.web ?? { providers: createProviders({}, { fetch: deps.fetch }) };
  return {
    web_search: webSearchHandler(web),
    web_fetch: webFetchHandler({ ...web, fetch: deps.fetch }),
  };
}
