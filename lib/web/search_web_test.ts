import assert from "node:assert/strict";
import { createProviders } from "./providers.ts";
import { searchWeb } from "./search_web.ts";
import { fakeServer, sleep } from "../../testing/fake_server.ts";
import { hasCode } from "../../testing/has_code.ts";
import { fixture } from "../../testing/web_fixture.ts";
import type { SearchProvider, WebResult } from "./types.ts";
import { WebCache } from "./web_cache.ts";

/** One loopback server playing DuckDuckGo (/html/), SearXNG (/search) and Brave (/brave). */
async function fakeEngines(modes: { ddg: string; searxng: string; brave?: string }) {
  const [ddgPage, anomaly, searxng, brave] = await Promise.all([
    fixture("duckduckgo_results.html"),
    fixture("duckduckgo_anomaly.html"),
    fixture("searxng.json"),
    fixture("brave.json"),
  ]);
  return fakeServer(async (request, { closed }) => {
    const path = new URL(request.url).pathname;
    const mode = path.startsWith("/html")
      ? modes.ddg
      : path.startsWith("/brave")
      ? modes.brave
      : modes.searxng;
    if (mode === "challenge") return new Response(anomaly, { status: 202 });
    if (mode === "429") return new Response("slow down", { status: 429 });
    if (mode === "changed") return new Response("<html><body><p>New design!</p></body></html>");
    if (mode === "slow") await sleep(5_000, closed);
    if (path.startsWith("/html")) return new Response(ddgPage);
    return new Response(path.startsWith("/brave") ? brave : searxng);
  });
}

function providersFor(url: string, timeoutMs = 2_000) {
  return createProviders(
    { searxngUrl: url, braveApiKey: "k", order: ["duckduckgo", "searxng"] },
    { endpoints: { duckduckgo: `${url}/html/`, brave: `${url}/brave` }, timeoutMs },
  );
}

Deno.test("searchWeb() falls back to the next provider after a 202 challenge", async () => {
  await using server = await fakeEngines({ ddg: "challenge", searxng: "ok" });
  const answer = await searchWeb("deno fmt", { providers: providersFor(server.url), limit: 3 });
  assert.equal(answer.provider, "searxng");
  assert.equal(answer.results.length, 3);
  assert.equal(answer.cached, false);
  assert.deepEqual(answer.failures.map((f) => [f.provider, f.code]), [[
    "duckduckgo",
    "rate_limited",
  ]]);
  assert.match(answer.failures[0]?.reason ?? "", /^DuckDuckGo answered with its bot challenge/);
});

Deno.test("searchWeb() falls back past a slow provider and changed HTML", async () => {
  await using slow = await fakeEngines({ ddg: "slow", searxng: "ok" });
  const answer = await searchWeb("deno", { providers: providersFor(slow.url, 100) });
  assert.equal(answer.provider, "searxng");
  assert.match(answer.failures[0]?.reason ?? "", /did not answer within/);

  await using changed = await fakeEngines({ ddg: "changed", searxng: "ok" });
  const second = await searchWeb("deno", { providers: providersFor(changed.url) });
  assert.equal(second.provider, "searxng");
  assert.match(second.failures[0]?.reason ?? "", /results page has changed/);
});

Deno.test("searchWeb() lists every provider's reason when all fail", async () => {
  await using server = await fakeEngines({ ddg: "429", searxng: "changed" });
  await assert.rejects(
    searchWeb("deno", { providers: providersFor(server.url) }),
    hasCode(
      "web_unavailable",
      /every provider:\n {2}duckduckgo: DuckDuckGo is rate-limiting .*\n {2}searxng: SearXNG.*JSON/,
    ),
  );
});

Deno.test("searchWeb() says rate_limited when every provider is rate-limiting", async () => {
  await using server = await fakeEngines({ ddg: "challenge", searxng: "429" });
  await assert.rejects(
    searchWeb("deno", { providers: providersFor(server.url) }),
    hasCode("rate_limited"),
  );
});

Deno.test("searchWeb() de-duplicates results by normalised URL", async () => {
  await using server = await fakeEngines({ ddg: "ok", searxng: "ok" });
  const answer = await searchWeb("deno fmt", { providers: providersFor(server.url), limit: 20 });
  assert.equal(answer.provider, "duckduckgo");
  const urls = answer.results.map((r) => r.url);
  assert.equal(urls.length, 6); // the www/http/#fragment twin of the first result is dropped
  assert.equal(urls.filter((u) => u.includes("cli/fmt")).length, 1);
});

Deno.test("searchWeb() serves a repeated query from the cache without a request", async () => {
  const dir = await Deno.makeTempDir({ prefix: "search_web_test_" });
  try {
    await using server = await fakeEngines({ ddg: "challenge", searxng: "ok" });
    const cache = new WebCache({ dir });
    const providers = providersFor(server.url);
    const first = await searchWeb("Deno  fmt", { providers, cache });
    const requests = server.requests.length;
    const again = await searchWeb(" deno fmt ", { providers, cache });
    assert.equal(server.requests.length, requests);
    assert.equal(again.cached, true);
    assert.equal(again.provider, "searxng");
    assert.deepEqual(again.results, first.results);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("searchWeb() survives a provider that throws a plain error", async () => {
  const broken: SearchProvider = {
    name: "broken",
    search: () => Promise.reject(new TypeError("cannot read properties of undefined")),
  };
  const hit: WebResult = { title: "A", url: "https://a.example/", snippet: "" };
  const working: SearchProvider = { name: "working", search: () => Promise.resolve([hit, hit]) };
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
  const answer = await searchWeb("x", { providers: [broken, working], logger });
  assert.deepEqual(answer.results, [hit]);
  assert.equal(answer.failures[0]?.code, "internal");
  assert.match(warnings[0] ?? "", /broken failed unexpectedly: cannot read/);
});

Deno.test("searchWeb() refuses an empty query and an empty provider list", async () => {
  const never: SearchProvider = {
    name: "never",
    search: () => Promise.reject(new Error("called")),
  };
  await assert.rejects(searchWeb("  ", { providers: [never] }), hasCode("invalid_input"));
  await assert.rejects(searchWeb("deno", { providers: [] }), hasCode("config_invalid"));
});

Deno.test("searchWeb() stops at once when cancelled", async () => {
  await using server = await fakeEngines({ ddg: "slow", searxng: "ok" });
  const controller = new AbortController();
  const pending = searchWeb("deno", {
    providers: providersFor(server.url),
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, hasCode("interrupted"));
  assert.equal(server.requests.filter((r) => r.path.startsWith("/search")).length, 0);
});
