/** The web handlers' settings from the node's config: providers, cache folder, SSRF policy. */

import type { Config } from "../config/mod.ts";
import type { Fetch, Logger } from "../core/mod.ts";
import { createProviders, WebCache } from "../web/mod.ts";
import type { WebHandlerOptions } from "./web_handlers.ts";

/**
 * Builds {@linkcode WebHandlerOptions} from the config: the providers in the configured order,
 * the cache under `web-cache/`, and pages on loopback or private addresses refused (unless
 * `allow_private`), this node's own API port always.
 *
 * @param config the loaded configuration (its `web` section was checked when loaded)
 * @param deps the fetch every request goes through; the logger hears failed providers
 */
export function webHandlerOptions(
  config: Config,
  deps: { fetch: Fetch; logger?: Logger | undefined },
): WebHandlerOptions {
  const { web } = config;
  return {
    providers: createProviders(
      {
        searxngUrl: web.searxngUrl,
        braveApiKey: web.braveApiKey,
        order: web.providers ?? undefined,
      },
      { fetch: deps.fetch },
    ),
    cache: new WebCache({ dir: config.paths.webCacheDir }),
    page: { allowPrivate: web.allowPrivate, ownApiPort: config.daemon.port },
    logger: deps.logger,
  };
}
