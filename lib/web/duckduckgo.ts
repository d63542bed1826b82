/** DuckDuckGo's HTML endpoint: no API key, the default provider. */

import { requestProvider } from "./_provider_request.ts";
import { duckDuckGoChallenge, parseDuckDuckGoHtml } from "./parse_duckduckgo.ts";
import { clampLimit, cleanQuery } from "./query.ts";
import type { ProviderOptions, SearchProvider } from "./types.ts";

/** DuckDuckGo's HTML results page, made for browsers without JavaScript. */
export const DUCKDUCKGO_URL = "https://html.duckduckgo.com/html/";

/** Settings of {@linkcode duckDuckGoProvider}. */
export interface DuckDuckGoOptions extends ProviderOptions {
  /** The endpoint (tests point it at a local fake). @default {@linkcode DUCKDUCKGO_URL} */
  url?: string | undefined;
}

/**
 * Searches DuckDuckGo by posting the query form to its HTML endpoint, as its
 * own no-JavaScript page does.
 *
 * @example
 * ```ts
 * const results = await duckDuckGoProvider().search("deno fmt", { limit: 5 });
 * ```
 */
export function duckDuckGoProvider(options: DuckDuckGoOptions = {}): SearchProvider {
  const url = new URL(options.url ?? DUCKDUCKGO_URL);
  return {
    name: "duckduckgo",
    async search(query, { limit, signal }) {
      const q = cleanQuery(query);
      const answer = await requestProvider({
        label: "DuckDuckGo",
        url,
        init: {
          method: "POST",
          body: new URLSearchParams({ q }),
          headers: { Accept: "text/html" },
        },
        options,
        signal,
      });
      // DuckDuckGo's rate limit is a 202 carrying its challenge page, not a 429.
      if (answer.status === 202) throw duckDuckGoChallenge("its bot challenge (HTTP 202)");
      return parseDuckDuckGoHtml(answer.text).slice(0, clampLimit(limit));
    },
  };
}
