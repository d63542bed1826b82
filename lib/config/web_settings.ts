/** The `[web]` settings: search providers, their order, and what page reading may reach. */

import { createError } from "../core/mod.ts";

/** Web search providers by name (lib/web's `PROVIDER_NAMES`; config cannot import lib/web). */
export const WEB_PROVIDER_NAMES = ["searxng", "brave", "duckduckgo"] as const;
/** One of {@linkcode WEB_PROVIDER_NAMES}. */
export type WebProviderName = typeof WEB_PROVIDER_NAMES[number];

/** How this node searches and reads the web. */
export interface WebSettings {
  /** `MYCOSWARM_SEARXNG_URL` or `[web] searxng_url`: a self-hosted SearXNG, or null. */
  readonly searxngUrl: string | null;
  /** `BRAVE_API_KEY` or `[web] brave_api_key`, or null. */
  readonly braveApiKey: string | null;
  /**
   * `MYCOSWARM_WEB_PROVIDERS` (comma-separated) or `[web] providers`: the order to try.
   * Null: a configured SearXNG, then Brave with a key, then DuckDuckGo.
   */
  readonly providers: readonly WebProviderName[] | null;
  /**
   * `MYCOSWARM_WEB_ALLOW_PRIVATE` or `[web] allow_private`: let web_fetch read loopback and
   * private addresses. Off by default: any peer can ask for a page (no SSRF through a peer).
   */
  readonly allowPrivate: boolean;
}

/** The `[web]` section as the file schema checked it. */
export type WebFileSection = Readonly<Record<string, string | number | boolean | string[]>>;

/**
 * Reads the web settings, environment over file.
 *
 * @param where the config file's path, for messages
 * @throws MycoError `config_invalid` for a bad URL, an unknown provider, a provider listed
 *   without what it needs, or an allow-private value that is not yes/no
 */
export function readWebSettings(
  env: Readonly<Record<string, string>>,
  file: WebFileSection,
  where: string,
): WebSettings {
  const pick = (variable: string, key: string): [string, string] | null => {
    if (env[variable]) return [env[variable], variable];
    const value = file[key];
    return typeof value === "string" && value !== "" ? [value, `${where}: web.${key}`] : null;
  };
  const searxng = pick("MYCOSWARM_SEARXNG_URL", "searxng_url");
  const searxngUrl = searxng && httpUrl(...searxng);
  const braveApiKey = pick("BRAVE_API_KEY", "brave_api_key")?.[0].trim() || null;
  const listed = env.MYCOSWARM_WEB_PROVIDERS !== undefined
    ? [env.MYCOSWARM_WEB_PROVIDERS.split(","), "MYCOSWARM_WEB_PROVIDERS"] as const
    : Array.isArray(file.providers)
    ? [file.providers, `${where}: web.providers`] as const
    : null;
  const providers = listed && providerOrder(listed[0], listed[1], { searxngUrl, braveApiKey });
  const allow = env.MYCOSWARM_WEB_ALLOW_PRIVATE;
  const allowPrivate = allow !== undefined && allow !== ""
    ? yesNo(allow, "MYCOSWARM_WEB_ALLOW_PRIVATE")
    : file.allow_private === true;
  return { searxngUrl, braveApiKey, providers, allowPrivate };
}

function httpUrl(value: string, source: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value.trim());
  } catch { /* reported below */ }
  if (url === null || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw createError(
      "config_invalid",
      `${source}=${JSON.stringify(value)} is not an http(s) URL (e.g. http://nas.local:8888)`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

function providerOrder(
  names: readonly string[],
  source: string,
  have: { searxngUrl: string | null; braveApiKey: string | null },
): WebProviderName[] {
  const order: WebProviderName[] = [];
  for (const raw of names) {
    const name = raw.trim().toLowerCase();
    if (name === "") continue;
    if (!(WEB_PROVIDER_NAMES as readonly string[]).includes(name)) {
      throw createError(
        "config_invalid",
        `${source}: '${raw.trim()}' is not a web search provider (one of ${
          WEB_PROVIDER_NAMES.join(", ")
        })`,
      );
    }
    if (!order.includes(name as WebProviderName)) order.push(name as WebProviderName);
  }
  if (order.length === 0) {
    throw createError("config_invalid", `${source} lists no web search provider`);
  }
  if (order.includes("searxng") && have.searxngUrl === null) {
    throw createError("config_invalid", `${source} lists searxng: set MYCOSWARM_SEARXNG_URL`);
  }
  if (order.includes("brave") && have.braveApiKey === null) {
    throw createError("config_invalid", `${source} lists brave: set BRAVE_API_KEY`);
  }
  return order;
}

function yesNo(value: string, source: string): boolean {
  const text = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off"].includes(text)) return false;
  throw createError("config_invalid", `${source}=${JSON.stringify(value)} must be 1 or 0`);
}
