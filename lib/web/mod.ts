/**
 * Web search and page reading: DuckDuckGo (no key), SearXNG and Brave Search
 * behind one {@linkcode SearchProvider} interface, tried in order with an
 * on-disk cache; {@linkcode fetchPage} reads one page as text, bounded and
 * guarded against SSRF. Everything takes an injected fetch.
 *
 * @module
 */
export * from "./types.ts";
export * from "./query.ts";
export * from "./normalise_url.ts";
export { DEFAULT_SEARCH_TIMEOUT_MS, USER_AGENT } from "./_provider_request.ts";
export { DUCKDUCKGO_URL, type DuckDuckGoOptions, duckDuckGoProvider } from "./duckduckgo.ts";
export { parseDuckDuckGoHtml, resultUrl } from "./parse_duckduckgo.ts";
export { parseSearxngJson, type SearxngOptions, searxngProvider } from "./searxng.ts";
export { BRAVE_URL, type BraveOptions, braveProvider, parseBraveJson } from "./brave.ts";
export * from "./providers.ts";
export * from "./search_web.ts";
export * from "./web_cache.ts";
export * from "./fetch_page.ts";
export * from "./extract_readable.ts";
export * from "./target_guard.ts";
