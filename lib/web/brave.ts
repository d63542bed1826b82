/** Brave Search's web search API (needs `BRAVE_API_KEY`). */

import { createError } from "../core/mod.ts";
import { htmlToLine } from "./_dom.ts";
import { changedFormat, isHttpUrl, isRecord, jsonObject, stringField } from "./_json_answer.ts";
import { requestProvider } from "./_provider_request.ts";
import { clampLimit, cleanQuery } from "./query.ts";
import type { ProviderOptions, SearchProvider, WebResult } from "./types.ts";

const LABEL = "Brave Search";
/** Brave's web search endpoint. */
export const BRAVE_URL = "https://api.search.brave.com/res/v1/web/search";

/** Settings of {@linkcode braveProvider}. */
export interface BraveOptions extends ProviderOptions {
  /** The subscription token, sent as `X-Subscription-Token`. */
  apiKey: string;
  /** The endpoint (tests point it at a local fake). @default {@linkcode BRAVE_URL} */
  url?: string | undefined;
}

const KEY_REFUSED = "the API key was refused; check BRAVE_API_KEY";

/**
 * Searches with Brave's API: `GET …/web/search?q=…&count=N`.
 *
 * @throws MycoError `config_invalid` when the key is empty
 */
export function braveProvider(options: BraveOptions): SearchProvider {
  if (options.apiKey.trim() === "") {
    throw createError("config_invalid", "Brave Search needs an API key: set BRAVE_API_KEY");
  }
  const endpoint = new URL(options.url ?? BRAVE_URL);
  return {
    name: "brave",
    async search(query, { limit, signal }) {
      const count = clampLimit(limit);
      const url = new URL(endpoint);
      url.search = new URLSearchParams({ q: cleanQuery(query), count: String(count) }).toString();
      const answer = await requestProvider({
        label: LABEL,
        url,
        init: {
          headers: { Accept: "application/json", "X-Subscription-Token": options.apiKey.trim() },
        },
        options,
        signal,
        statusHints: { 401: KEY_REFUSED, 403: KEY_REFUSED, 422: KEY_REFUSED },
      });
      return parseBraveJson(answer.text).slice(0, count);
    },
  };
}

/**
 * The web results of a Brave answer: `web.results[].{title, url, description}`.
 * An answer without `web` (nothing found) gives [].
 *
 * @throws MycoError `web_unavailable` when the answer is not Brave's format
 */
export function parseBraveJson(text: string): WebResult[] {
  const data = jsonObject(LABEL, text);
  if (data.web === undefined) {
    if (data.type === "search") return [];
    throw changedFormat(LABEL, "neither web results nor type: search");
  }
  if (!isRecord(data.web) || !Array.isArray(data.web.results)) {
    throw changedFormat(LABEL, "web.results is not a list");
  }
  const results: WebResult[] = [];
  for (const item of data.web.results) {
    if (!isRecord(item)) continue;
    const url = stringField(item, "url");
    if (!isHttpUrl(url)) continue;
    const title = htmlToLine(stringField(item, "title")) || url;
    results.push({ title, url, snippet: htmlToLine(stringField(item, "description")) });
  }
  return results;
}
