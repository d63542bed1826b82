/** Web search across providers in order, with a cache and one clear error when all fail. */

import { createError, type ErrorCode, isMycoError, type Logger } from "../core/mod.ts";
import { why } from "./_messages.ts";
import { dedupeByUrl } from "./normalise_url.ts";
import { clampLimit, cleanQuery } from "./query.ts";
import type { SearchProvider, WebResult } from "./types.ts";
import type { WebCache } from "./web_cache.ts";

/** Settings of {@linkcode searchWeb}. */
export interface SearchWebOptions {
  /** Tried in this order until one answers (see createProviders). */
  providers: readonly SearchProvider[];
  /** Results wanted. @default 5, at most 20 */
  limit?: number | undefined;
  /** Results are looked up here first and stored after a search. @default none */
  cache?: WebCache | null | undefined;
  /** Cancels the search. */
  signal?: AbortSignal | undefined;
  /** Told about each provider that failed and each cache write that did. */
  logger?: Logger | undefined;
}

/** Why one provider gave no results. */
export interface ProviderFailure {
  /** The provider's name. */
  provider: string;
  /** The error code, so callers can tell a timeout from a refusal. */
  code: ErrorCode;
  /** One line, e.g. "DuckDuckGo answered with its bot challenge (HTTP 202) …". */
  reason: string;
}

/** The answer of {@linkcode searchWeb}. */
export interface WebSearchResponse {
  /** The query as searched: trimmed, whitespace collapsed. */
  query: string;
  /** The provider whose results these are. */
  provider: string;
  /** De-duplicated by normalised URL; at most `limit`. */
  results: WebResult[];
  /** True when the results came from the cache (no request made). */
  cached: boolean;
  /** Providers tried before `provider`, and why each failed. */
  failures: ProviderFailure[];
}

/**
 * Searches the web: the cache first (any provider), then each provider in
 * order until one answers.
 *
 * @throws MycoError `invalid_input` for an empty query; `rate_limited` when
 * every provider is rate-limiting, else `web_unavailable`, its message listing
 * each provider's reason; `interrupted` when `signal` fires
 * @example
 * ```ts
 * const { results } = await searchWeb("deno fmt", { providers: createProviders({}) });
 * ```
 */
export async function searchWeb(
  query: string,
  options: SearchWebOptions,
): Promise<WebSearchResponse> {
  const q = cleanQuery(query);
  const limit = clampLimit(options.limit);
  const { providers, cache, signal, logger } = options;
  if (providers.length === 0) {
    throw createError("config_invalid", "No web search provider is configured");
  }
  for (const provider of providers) {
    const hit = await cache?.get(provider.name, q, limit).catch(() => null);
    if (hit) return { query: q, provider: provider.name, results: hit, cached: true, failures: [] };
  }
  const failures: ProviderFailure[] = [];
  for (const provider of providers) {
    if (signal?.aborted) throw createError("interrupted", "The web search was cancelled");
    let results: WebResult[];
    try {
      results = dedupeByUrl(await provider.search(q, { limit, signal })).slice(0, limit);
    } catch (error) {
      if (signal?.aborted) throw createError("interrupted", "The web search was cancelled");
      const failure = describe(provider.name, error);
      failures.push(failure);
      logger?.warn(`Web search: ${failure.reason}`);
      continue;
    }
    await cache?.set(provider.name, q, limit, results).catch((error) => {
      logger?.warn(`Web search: results not cached: ${why(error)}`);
    });
    return { query: q, provider: provider.name, results, cached: false, failures };
  }
  throw allFailed(failures);
}

function describe(provider: string, error: unknown): ProviderFailure {
  if (isMycoError(error)) return { provider, code: error.code, reason: why(error) };
  return { provider, code: "internal", reason: `${provider} failed unexpectedly: ${why(error)}` };
}

function allFailed(failures: ProviderFailure[]) {
  const limited = failures.every((failure) => failure.code === "rate_limited");
  const lines = failures.map((failure) => `  ${failure.provider}: ${failure.reason}`);
  return createError(
    limited ? "rate_limited" : "web_unavailable",
    `Web search failed with every provider:\n${lines.join("\n")}`,
    {
      hint: "Try again in a few minutes; a self-hosted SearXNG (MYCOSWARM_SEARXNG_URL) or " +
        "Brave Search (BRAVE_API_KEY) can stand in when DuckDuckGo refuses.",
    },
  );
}
