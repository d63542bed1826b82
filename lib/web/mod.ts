/**
 * Web search and page reading: DuckDuckGo (no key), SearXNG and Brave Search
 * behind one {@linkcode SearchProvider} interface, tried in order with an
 * on-disk cache; {@linkcode fetchPage} reads one page as text, bounded and
 * guarded against SSRF. Everything takes an injected fetch.
 *
 * @module
 */
export type { ProviderOptions, ProviderSearchOptions, SearchProvider, WebResult } from "./types.ts";
export { MAX_LIMIT, MAX_QUERY_CHARS } from "./query.ts";
export { dedupeByUrl } from "./normalise_url.ts";
export { searxngProvider } from "./searxng.ts";
export type { SearxngOptions } from "./searxng.ts";
export { createProviders, PROVIDER_NAMES } from "./providers.ts";
export type { ProviderEndpoints, ProviderName, WebSearchSettings } from "./providers.ts";
export { searchWeb } from "./search_web.ts";
export type { ProviderFailure, SearchWebOptions, WebSearchResponse } from "./search_web.ts";
export { WebCache } from "./web_cache.ts";
export type { WebCacheOptions } from "./web_cache.ts";
export { fetchPage } from "./fetch_page.ts";
export type { FetchedPage, FetchPageOptions } from "./fetch_page.ts";
export type { Resolver } from "./target_guard.ts";
export { pinnedTransport } from "./page_transport.ts";
export type { PageRequest, PageTransport } from "./page_transport.ts";
