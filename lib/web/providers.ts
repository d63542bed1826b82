/** The ordered provider list, built from settings (config wires them in). */

import { createError } from "../core/mod.ts";
import { braveProvider } from "./brave.ts";
import { duckDuckGoProvider } from "./duckduckgo.ts";
import { searxngProvider } from "./searxng.ts";
import type { ProviderOptions, SearchProvider } from "./types.ts";

/** The providers mycoswarm knows. */
export const PROVIDER_NAMES = ["searxng", "brave", "duckduckgo"] as const;
/** One of {@linkcode PROVIDER_NAMES}. */
export type ProviderName = typeof PROVIDER_NAMES[number];

/** What the providers need from the configuration. */
export interface WebSearchSettings {
  /** `MYCOSWARM_SEARXNG_URL`: the SearXNG instance, or null. */
  searxngUrl?: string | null | undefined;
  /** `BRAVE_API_KEY`, or null. */
  braveApiKey?: string | null | undefined;
  /**
   * Providers to try, in order. Unset: a configured SearXNG (private, no rate
   * limit), then Brave when a key is set, then DuckDuckGo, which needs nothing.
   */
  order?: readonly ProviderName[] | undefined;
}

/** Endpoint overrides, for tests against local fakes. */
export interface ProviderEndpoints {
  /** DuckDuckGo's URL, overridden in tests. */
  duckduckgo?: string | undefined;
  /** Brave Search's URL, overridden in tests. */
  brave?: string | undefined;
}

/**
 * Builds the providers to try, in order.
 *
 * @throws MycoError `config_invalid` when `order` names a provider that is not
 * configured (SearXNG without a URL, Brave without a key), or none at all
 */
export function createProviders(
  settings: WebSearchSettings,
  options: ProviderOptions & { endpoints?: ProviderEndpoints } = {},
): SearchProvider[] {
  const explicit = settings.order !== undefined;
  const providers: SearchProvider[] = [];
  for (const name of settings.order ?? PROVIDER_NAMES) {
    if (name === "searxng") {
      if (settings.searxngUrl) {
        providers.push(searxngProvider({ ...options, url: settings.searxngUrl }));
      } else if (explicit) throw missing("SearXNG", "MYCOSWARM_SEARXNG_URL");
    } else if (name === "brave") {
      const apiKey = settings.braveApiKey?.trim();
      const url = options.endpoints?.brave;
      if (apiKey) providers.push(braveProvider({ ...options, apiKey, url }));
      else if (explicit) throw missing("Brave Search", "BRAVE_API_KEY");
    } else if (name === "duckduckgo") {
      providers.push(duckDuckGoProvider({ ...options, url: options.endpoints?.duckduckgo }));
    } else {
      throw createError("config_invalid", `Unknown web search provider "${name}"`);
    }
  }
  if (providers.length === 0) {
    throw createError("config_invalid", "No web search provider is configured");
  }
  return providers;
}

function missing(label: string, variable: string) {
  return createError(
    "config_invalid",
    `${label} is listed as a web search provider: set ${variable}`,
  );
}
