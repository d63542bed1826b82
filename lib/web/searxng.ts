/** SearXNG's JSON API: a self-hosted metasearch engine, the private choice. */

import { createError } from "../core/mod.ts";
import { htmlToLine } from "./_dom.ts";
import { changedFormat, isHttpUrl, isRecord, jsonObject, stringField } from "./_json_answer.ts";
import { requestProvider } from "./_provider_request.ts";
import { clampLimit, cleanQuery } from "./query.ts";
import type { ProviderOptions, SearchProvider, WebResult } from "./types.ts";

const LABEL = "SearXNG";

/** Settings of {@linkcode searxngProvider}. */
export interface SearxngOptions extends ProviderOptions {
  /** The instance's base URL (`MYCOSWARM_SEARXNG_URL`), e.g. `http://nas.local:8888`. */
  url: string;
}

/**
 * Searches a SearXNG instance through `/search?q=…&format=json`. The instance
 * must allow the JSON format (`search.formats` in its settings.yml).
 */
export function searxngProvider(options: SearxngOptions): SearchProvider {
  const base = baseUrl(options.url);
  return {
    name: "searxng",
    async search(query, { limit, signal }) {
      const url = new URL("search", base);
      url.search = new URLSearchParams({ q: cleanQuery(query), format: "json" }).toString();
      const answer = await requestProvider({
        label: LABEL,
        url,
        init: { headers: { Accept: "application/json" } },
        options,
        signal,
        statusHints: {
          403: "its JSON API is off; add json to search.formats in SearXNG's settings.yml",
        },
      });
      return parseSearxngJson(answer.text).slice(0, clampLimit(limit));
    },
  };
}

function baseUrl(url: string): URL {
  const text = url.endsWith("/") ? url : `${url}/`;
  if (isHttpUrl(text)) return new URL(text);
  throw createError("config_invalid", `The SearXNG URL "${url}" is not an http(s) URL`);
}

/**
 * The results of a SearXNG JSON answer: `results[].{title, url, content}`.
 *
 * @throws MycoError `web_unavailable` when the answer is not SearXNG's format,
 * or when it has no results because every engine behind it failed
 */
export function parseSearxngJson(text: string): WebResult[] {
  const data = jsonObject(LABEL, text);
  if (!Array.isArray(data.results)) throw changedFormat(LABEL, "no results list");
  const results: WebResult[] = [];
  for (const item of data.results) {
    if (!isRecord(item)) continue;
    const url = stringField(item, "url");
    if (!isHttpUrl(url)) continue;
    const title = htmlToLine(stringField(item, "title")) || url;
    results.push({ title, url, snippet: htmlToLine(stringField(item, "content")) });
  }
  const failed = Array.isArray(data.unresponsive_engines) ? data.unresponsive_engines : [];
  if (results.length === 0 && failed.length > 0) {
    const names = failed.map((entry) => Array.isArray(entry) ? entry.join(": ") : String(entry));
    throw createError(
      "web_unavailable",
      `${LABEL} found nothing because its engines failed (${names.join(", ")})`,
    );
  }
  return results;
}
