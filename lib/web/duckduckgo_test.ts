import assert from "node:assert/strict";
import { VERSION } from "../core/mod.ts";
import { duckDuckGoProvider } from "./duckduckgo.ts";
import { endlessBody, fakeServer, sleep } from "../../testing/fake_server.ts";
import { hasCode } from "../../testing/has_code.ts";
import { fixture } from "../../testing/web_fixture.ts";

const html = (body: string, status = 200) =>
  new Response(body, { status, headers: { "Content-Type": "text/html; charset=UTF-8" } });

Deno.test("duckDuckGoProvider() posts the query form politely and reads the results", async () => {
  const page = await fixture("duckduckgo_results.html");
  await using server = fakeServer(() => html(page));
  const provider = duckDuckGoProvider({ url: `${server.url}/html/` });
  const results = await provider.search(" deno  fmt line width ", { limit: 3 });
  assert.deepEqual(results.map((r) => r.title), [
    "deno fmt | Deno Docs",
    "Configuring Deno behavior - deno.json",
    "Why doesn't deno fmt wrap long comments? · Issue #9121 · denoland/deno",
  ]);
  const request = server.requests[0];
  assert.equal(request?.method, "POST");
  assert.equal(request?.path, "/html/");
  assert.equal(request?.body, "q=deno+fmt+line+width");
  assert.ok(request?.headers.get("User-Agent")?.startsWith(`mycoswarm/${VERSION} `));
});

Deno.test("duckDuckGoProvider() gives 5 results by default, at most 20", async () => {
  const one = (i: number) =>
    `<div class="result results_links web-result"><h2 class="result__title"><a class="result__a" ` +
    `href="https://site${i}.example/">Site ${i}</a></h2><a class="result__snippet">S${i}</a></div>`;
  const page = `<html><body>${Array.from({ length: 30 }, (_, i) => one(i)).join("")}</body></html>`;
  await using server = fakeServer(() => html(page));
  const provider = duckDuckGoProvider({ url: server.url });
  assert.equal((await provider.search("x", { limit: Number.NaN })).length, 5);
  assert.equal((await provider.search("x", { limit: 100 })).length, 20);
});

Deno.test("duckDuckGoProvider() turns the 202 challenge page into a rate-limit error", async () => {
  const page = await fixture("duckduckgo_anomaly.html");
  await using server = fakeServer(() => html(page, 202));
  const provider = duckDuckGoProvider({ url: server.url });
  await assert.rejects(provider.search("deno", { limit: 5 }), hasCode("rate_limited", /HTTP 202/));
});

Deno.test("duckDuckGoProvider() spots the anomaly page even with HTTP 200", async () => {
  const page = await fixture("duckduckgo_anomaly.html");
  await using server = fakeServer(() => html(page));
  const provider = duckDuckGoProvider({ url: server.url });
  await assert.rejects(provider.search("deno", { limit: 5 }), hasCode("rate_limited", /challenge/));
});

Deno.test("duckDuckGoProvider() reports HTTP 429 and other HTTP errors in one line", async () => {
  let status = 429;
  await using server = fakeServer(() => html("busy", status));
  const provider = duckDuckGoProvider({ url: server.url });
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("rate_limited", /DuckDuckGo.*429/),
  );
  status = 503;
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("web_unavailable", /^DuckDuckGo answered HTTP 503$/),
  );
});

Deno.test("duckDuckGoProvider() says so when the page markup changed", async () => {
  await using server = fakeServer(() =>
    html("<html><body><ol class='hits'><li>A</li></ol></body></html>")
  );
  const provider = duckDuckGoProvider({ url: server.url });
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("web_unavailable", /changed/),
  );
});

Deno.test("duckDuckGoProvider() gives up on a slow answer at its timeout", async () => {
  await using server = fakeServer(async (_request, { closed }) => {
    await sleep(5_000, closed);
    return html("<html></html>");
  });
  const provider = duckDuckGoProvider({ url: server.url, timeoutMs: 100 });
  const started = performance.now();
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("web_unavailable", /did not answer within 0.1 s/),
  );
  assert.ok(performance.now() - started < 2_000);
});

Deno.test("duckDuckGoProvider() names the address when nothing listens there", async () => {
  const server = fakeServer(() => html(""));
  const url = server.url;
  await server[Symbol.asyncDispose]();
  const provider = duckDuckGoProvider({ url });
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("web_unavailable", /Cannot reach DuckDuckGo at http:\/\/127/),
  );
});

Deno.test("duckDuckGoProvider() refuses a whitespace query without a request", async () => {
  await using server = fakeServer(() => html(""));
  const provider = duckDuckGoProvider({ url: server.url });
  await assert.rejects(provider.search(" \t ", { limit: 5 }), hasCode("invalid_input"));
  assert.equal(server.requests.length, 0);
});

Deno.test("duckDuckGoProvider() gives up on an answer that never ends", async () => {
  const chunk = new TextEncoder().encode("<div>");
  await using server = fakeServer((_request, { closed }) =>
    new Response(endlessBody(chunk, 10, closed), { headers: { "Content-Type": "text/html" } })
  );
  const provider = duckDuckGoProvider({ url: server.url, timeoutMs: 150 });
  await assert.rejects(
    provider.search("deno", { limit: 5 }),
    hasCode("web_unavailable", /did not finish its answer within 0.2 s/),
  );
});
