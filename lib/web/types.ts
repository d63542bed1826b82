/** The shapes every web search provider shares. */

import type { Fetch } from "../core/mod.ts";

/** One search hit, the same whichever provider found it. */
export interface WebResult {
  /** Plain text: tags and entities already stripped. */
  title: string;
  /** The destination (http or https), never a search engine's redirect. */
  url: string;
  /** Plain text; empty when the provider gave none. */
  snippet: string;
}

/** What one call to {@linkcode SearchProvider.search} may ask for. */
export interface ProviderSearchOptions {
  /** How many results at most; providers clamp it to 1..20. */
  limit: number;
  /** Cancels the request. */
  signal?: AbortSignal | undefined;
}

/** A web search engine behind one interface. */
export interface SearchProvider {
  /** Short stable name ("duckduckgo", "searxng", "brave"): in messages and cache keys. */
  readonly name: string;
  /**
   * Searches the web.
   *
   * @throws MycoError `invalid_input` for an empty query, `rate_limited` when the
   * engine refuses us for now, `web_unavailable` when it is down, slow or its
   * answer no longer parses; each message is one line naming the provider
   */
  search(query: string, options: ProviderSearchOptions): Promise<WebResult[]>;
}

/** Settings every provider takes. */
export interface ProviderOptions {
  /** Injected so tests can serve answers locally. @default globalThis.fetch */
  fetch?: Fetch | undefined;
  /** Budget for one request, headers and body, in ms. @default 10000 */
  timeoutMs?: number | undefined;
  /** Sent as User-Agent: some providers refuse requests without one. @default {@linkcode USER_AGENT} */
  userAgent?: string | undefined;
}
