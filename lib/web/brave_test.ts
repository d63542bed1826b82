import assert from "node:assert/strict";
import { braveProvider, parseBraveJson } from "./brave.ts";
import { fakeServer } from "../../testing/fake_server.ts";
import { hasCode } from "../../testing/has_code.ts";
import { fixture } from "../../testing/web_fixture.ts";

Deno.test("parseBraveJson() reads web.results[] of a real-format answer", async () => {
  const results = parseBraveJson(await fixture("brave.json"));
  assert.equal(results.length, 4);
  assert.deepEqual(results[0], {
    title: "deno fmt | Deno Docs",
    url: "https://docs.deno.com/runtime/reference/cli/fmt/",
    snippet: "Set the maximum line width with --line-width. Defaults to 80.",
  });
  assert.equal(results[1]?.title, "How to change deno fmt line width? - Stack Overflow");
  assert.equal(
    results[1]?.snippet,
    'Use deno fmt --line-width=120 or put "fmt": { "lineWidth": 120 } in deno.json. ' +
      "It's that simple.",
  );
});

Deno.test("parseBraveJson() gives [] when Brave found nothing, and fails on other shapes", () => {
  assert.deepEqual(parseBraveJson('{"type": "search", "query": {"original": "zxqv"}}'), []);
  assert.throws(() => parseBraveJson('{"web": {"results": 3}}'), hasCode("web_unavailable"));
  assert.throws(() => parseBraveJson('{"error": "x"}'), hasCode("web_unavailable", /format/));
});

Deno.test("braveProvider() sends the key and count, clamped to 20", async () => {
  const body = await fixture("brave.json");
  await using server = fakeServer(() =>
    new Response(body, { headers: { "Content-Type": "application/json" } })
  );
  const provider = braveProvider({ apiKey: "secret-key", url: `${server.url}/res/v1/web/search` });
  const results = await provider.search("deno fmt", { limit: 99 });
  assert.equal(results.length, 4);
  const request = server.requests[0];
  assert.equal(request?.path, "/res/v1/web/search?q=deno+fmt&count=20");
  assert.equal(request?.headers.get("X-Subscription-Token"), "secret-key");
  assert.equal(request?.headers.get("Accept"), "application/json");
});

Deno.test("braveProvider() names the key when Brave refuses it", async () => {
  await using server = fakeServer(() => Response.json({ type: "ErrorResponse" }, { status: 422 }));
  const provider = braveProvider({ apiKey: "wrong", url: server.url });
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("web_unavailable", /BRAVE_API_KEY/),
  );
});

Deno.test("braveProvider() reports HTTP 429 as rate limiting, with Retry-After", async () => {
  await using server = fakeServer(() =>
    new Response("", { status: 429, headers: { "Retry-After": "30" } })
  );
  const provider = braveProvider({ apiKey: "k", url: server.url });
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("rate_limited", /HTTP 429.*30 s/),
  );
});

Deno.test("braveProvider() needs a key", () => {
  assert.throws(() => braveProvider({ apiKey: " " }), hasCode("config_invalid", /BRAVE_API_KEY/));
});
