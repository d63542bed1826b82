import assert from "node:assert/strict";
import { hasCode } from "../../testing/has_code.ts";
import { fixture } from "../../testing/web_fixture.ts";
import { parseDuckDuckGoHtml, resultUrl } from "./parse_duckduckgo.ts";

Deno.test("parseDuckDuckGoHtml() reads a real-format page's organic results, not ads", async () => {
  const results = parseDuckDuckGoHtml(await fixture("duckduckgo_results.html"));
  assert.equal(results.length, 7);
  assert.ok(results.every((r) => !r.url.includes("y.js") && !/formatter|courses/.test(r.url)));
  assert.deepEqual(results[0], {
    title: "deno fmt | Deno Docs",
    url: "https://docs.deno.com/runtime/reference/cli/fmt/",
    snippet: "Deno ships with a built-in code formatter that will auto-format the following " +
      "files: ... Set the maximum line width with --line-width. Defaults to 80.",
  });
});

Deno.test("parseDuckDuckGoHtml() decodes /l/?uddg= redirects", async () => {
  const results = parseDuckDuckGoHtml(await fixture("duckduckgo_results.html"));
  assert.equal(
    results[1]?.url,
    "https://docs.deno.com/runtime/fundamentals/configuration/#formatting",
  );
  assert.equal(results[5]?.url, "https://deno.com/blog/v1.13");
});

Deno.test("parseDuckDuckGoHtml() strips tags and decodes entities", async () => {
  const results = parseDuckDuckGoHtml(await fixture("duckduckgo_results.html"));
  const issue = results[2];
  assert.equal(
    issue?.title,
    "Why doesn't deno fmt wrap long comments? · Issue #9121 · denoland/deno",
  );
  assert.equal(
    issue?.snippet,
    "I set lineWidth to 100 but comments aren't re-wrapped. dprint only breaks code " +
      "<expressions>, never text inside comments & strings.",
  );
  assert.match(results[1]?.snippet ?? "", /"lineWidth": 100, .*…$/);
});

Deno.test("parseDuckDuckGoHtml() gives a clear rate-limit error for the anomaly page", async () => {
  const html = await fixture("duckduckgo_anomaly.html");
  assert.throws(() => parseDuckDuckGoHtml(html), hasCode("rate_limited", /DuckDuckGo.*challenge/));
});

Deno.test("parseDuckDuckGoHtml() gives [] for the no-results page", async () => {
  assert.deepEqual(parseDuckDuckGoHtml(await fixture("duckduckgo_no_results.html")), []);
});

Deno.test("parseDuckDuckGoHtml() says the markup changed when no result blocks are found", () => {
  const changed = "<html><body><div id='links'><article class='hit'><a href='https://a.com'>A</a>" +
    "</article></div></body></html>";
  assert.throws(() => parseDuckDuckGoHtml(changed), hasCode("web_unavailable", /changed/));
  const renamed =
    "<html><body><div class='result'><h2><a class='title' href='https://a.com'>A</a>" +
    "</h2></div></body></html>";
  assert.throws(() => parseDuckDuckGoHtml(renamed), hasCode("web_unavailable", /result__a/));
});

Deno.test("resultUrl() keeps direct links, decodes redirects, drops ads and other schemes", () => {
  assert.equal(resultUrl("https://a.com/x?y=1"), "https://a.com/x?y=1");
  assert.equal(
    resultUrl("//duckduckgo.com/l/?uddg=https%3A%2F%2Fa.com%2Fp%3Fq%3D1%26r%3D2&rut=abc"),
    "https://a.com/p?q=1&r=2",
  );
  assert.equal(resultUrl("https://duckduckgo.com/y.js?ad_domain=x.com&u3=https%3A%2F%2Fx"), null);
  assert.equal(resultUrl("//duckduckgo.com/l/?uddg=javascript%3Aalert(1)"), null);
  assert.equal(resultUrl("javascript:alert(1)"), null);
  assert.equal(resultUrl("/html/?q=next"), null);
});
