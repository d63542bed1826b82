import assert from "node:assert/strict";
import { fakeServer } from "../../testing/fake_server.ts";
import { hasCode } from "../../testing/has_code.ts";
import { fixture } from "../../testing/web_fixture.ts";
import { parseSearxngJson, searxngProvider } from "./searxng.ts";

Deno.test("parseSearxngJson() reads results[] of a real-format answer", async () => {
  const results = parseSearxngJson(await fixture("searxng.json"));
  assert.deepEqual(results.map((r) => r.url), [
    "https://docs.deno.com/runtime/reference/cli/fmt/",
    "https://github.com/denoland/deno/issues/9121",
    "https://dprint.dev/plugins/typescript/config/",
    "https://stackoverflow.com/questions/70711234/how-to-change-deno-fmt-line-width",
  ]); // the magnet: link is skipped
  assert.equal(results[1]?.title, "Why doesn't deno fmt wrap long comments? · Issue #9121");
  assert.equal(
    results[1]?.snippet,
    "I set lineWidth to 100 but comments aren't re-wrapped & strings neither.",
  );
  assert.equal(results[3]?.snippet, "");
});

Deno.test("parseSearxngJson() fails clearly when every engine behind SearXNG failed", async () => {
  const text = await fixture("searxng_engines_failed.json");
  assert.throws(() => parseSearxngJson(text), hasCode("web_unavailable", /duckduckgo: CAPTCHA/));
});

Deno.test("parseSearxngJson() says the format changed for other JSON or HTML", () => {
  assert.throws(
    () => parseSearxngJson("<html>login</html>"),
    hasCode("web_unavailable", /not JSON/),
  );
  assert.throws(() => parseSearxngJson('{"hits": []}'), hasCode("web_unavailable", /format/));
  assert.deepEqual(parseSearxngJson('{"results": [], "unresponsive_engines": []}'), []);
});

Deno.test("searxngProvider() asks /search?q=…&format=json under the base path", async () => {
  const body = await fixture("searxng.json");
  await using server = fakeServer(() =>
    new Response(body, { headers: { "Content-Type": "application/json" } })
  );
  const provider = searxngProvider({ url: `${server.url}/searx` });
  const results = await provider.search("  deno fmt ", { limit: 2 });
  assert.equal(results.length, 2);
  assert.equal(server.requests[0]?.path, "/searx/search?q=deno+fmt&format=json");
  assert.match(server.requests[0]?.headers.get("User-Agent") ?? "", /^mycoswarm\/\d/);
});

Deno.test("searxngProvider() explains a 403 (JSON format disabled)", async () => {
  await using server = fakeServer(() => new Response("Forbidden", { status: 403 }));
  const provider = searxngProvider({ url: server.url });
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("web_unavailable", /SearXNG answered HTTP 403: .*settings\.yml/),
  );
});

Deno.test("searxngProvider() refuses a base URL that is not a URL", () => {
  assert.throws(() => searxngProvider({ url: "nas:::8888" }), hasCode("config_invalid"));
});
