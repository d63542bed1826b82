import assert from "node:assert/strict";
import { createProviders } from "./providers.ts";
import { hasCode } from "../../testing/has_code.ts";

Deno.test("createProviders() puts configured SearXNG and Brave before DuckDuckGo", () => {
  const names = (settings: Parameters<typeof createProviders>[0]) =>
    createProviders(settings).map((p) => p.name);
  assert.deepEqual(names({}), ["duckduckgo"]);
  assert.deepEqual(names({ braveApiKey: "k" }), ["brave", "duckduckgo"]);
  assert.deepEqual(names({ searxngUrl: "http://nas:8888", braveApiKey: "k" }), [
    "searxng",
    "brave",
    "duckduckgo",
  ]);
});

Deno.test("createProviders() follows an explicit order", () => {
  const providers = createProviders({
    searxngUrl: "http://nas:8888",
    order: ["duckduckgo", "searxng"],
  });
  assert.deepEqual(providers.map((p) => p.name), ["duckduckgo", "searxng"]);
});

Deno.test("createProviders() refuses an order naming an unconfigured provider", () => {
  assert.throws(
    () => createProviders({ order: ["searxng"] }),
    hasCode("config_invalid", /MYCOSWARM_SEARXNG_URL/),
  );
  assert.throws(
    () => createProviders({ order: ["brave"] }),
    hasCode("config_invalid", /BRAVE_API_KEY/),
  );
  assert.throws(() => createProviders({ order: [] }), hasCode("config_invalid"));
});
