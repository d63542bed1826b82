import assert from "node:assert/strict";
import { fetchPage } from "./fetch_page.ts";
import { endlessBody, fakeServer, sleep } from "../../testing/fake_server.ts";
import { hasCode } from "../../testing/has_code.ts";
import { fixture } from "../../testing/web_fixture.ts";

/** Reading from the loopback fake server needs private addresses allowed, explicitly. */
const local = { allowPrivate: true } as const;
const htmlHeaders = { "Content-Type": "text/html; charset=utf-8" };

Deno.test("fetchPage() reads an article's title and text, without page chrome", async () => {
  const page = await fixture("article.html");
  await using server = fakeServer(() => new Response(page, { headers: htmlHeaders }));
  const result = await fetchPage(`${server.url}/2025/swarm/`, local);
  assert.equal(result.url, `${server.url}/2025/swarm/`);
  assert.equal(result.status, 200);
  assert.equal(result.title, "Running a Local AI Swarm on Old Laptops");
  assert.match(result.text, /^Most homes have more computing power/);
  assert.match(result.text, /- The GPU stays free for generating the answer\./);
  assert.doesNotMatch(result.text, /cookies|Newsletter|Related posts|dataLayer|© 2025/);
  assert.equal(result.length, result.text.length);
  assert.equal(result.truncated, false);
  assert.equal(result.contentType, "text/html");
  assert.match(server.requests[0]?.headers.get("User-Agent") ?? "", /^mycoswarm\//);
});

Deno.test("fetchPage() refuses the loopback server unless allowPrivate is set", async () => {
  await using server = fakeServer(() => new Response("secret"));
  await assert.rejects(
    fetchPage(server.url),
    hasCode("url_refused", /127\.0\.0\.1.* loopback address/),
  );
  assert.equal(server.requests.length, 0);
});

Deno.test("fetchPage() passes plain text through", async () => {
  await using server = fakeServer(() =>
    new Response("line one\r\nline two\n", { headers: { "Content-Type": "text/plain" } })
  );
  const result = await fetchPage(`${server.url}/notes.txt`, local);
  assert.deepEqual([result.title, result.text], ["", "line one\nline two"]);
});

Deno.test("fetchPage() follows redirects itself and reports the final URL", async () => {
  await using server = fakeServer((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/a") return new Response(null, { status: 301, headers: { Location: "/b" } });
    if (path === "/b") return new Response(null, { status: 302, headers: { Location: "/c?x=1" } });
    return new Response("<html><head><title>C</title></head><body><p>Arrived.</p></body></html>", {
      headers: htmlHeaders,
    });
  });
  const result = await fetchPage(`${server.url}/a`, local);
  assert.equal(result.url, `${server.url}/c?x=1`);
  assert.deepEqual([result.title, result.text], ["C", "Arrived."]);
});

Deno.test("fetchPage() stops after maxRedirects hops", async () => {
  await using server = fakeServer((request) => {
    const n = Number(new URL(request.url).searchParams.get("n") ?? "0");
    return new Response(null, { status: 302, headers: { Location: `/loop?n=${n + 1}` } });
  });
  await assert.rejects(
    fetchPage(`${server.url}/loop`, { ...local, maxRedirects: 3 }),
    hasCode("web_unavailable", /more than 3 times/),
  );
  assert.equal(server.requests.length, 4);
});

Deno.test("fetchPage() cuts a huge body at maxBytes", async () => {
  const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
  let sent = 0;
  await using server = fakeServer(() =>
    new Response(
      new ReadableStream({
        pull(controller) {
          if (sent >= 8 * 1024 * 1024) return controller.close();
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
      { headers: { "Content-Type": "text/plain" } },
    )
  );
  const result = await fetchPage(server.url, { ...local, maxBytes: 100_000 });
  assert.equal(result.truncated, true);
  assert.equal(result.length, 100_000);
  assert.ok(sent < 8 * 1024 * 1024, "the rest of the body was not read");
});

Deno.test("fetchPage() cuts a never-ending body at the timeout", async () => {
  const chunk = new TextEncoder().encode("<p>more</p>\n");
  await using server = fakeServer((_request, { closed }) =>
    new Response(endlessBody(chunk, 10, closed), { headers: htmlHeaders })
  );
  const started = performance.now();
  const result = await fetchPage(server.url, { ...local, timeoutMs: 200 });
  assert.ok(performance.now() - started < 2_000);
  assert.equal(result.truncated, true);
  assert.match(result.text, /^more\n\nmore/);
});

Deno.test("fetchPage() gives up on a site that never answers", async () => {
  await using server = fakeServer(async (_request, { closed }) => {
    await sleep(5_000, closed);
    return new Response("late");
  });
  await assert.rejects(
    fetchPage(server.url, { ...local, timeoutMs: 100 }),
    hasCode("web_unavailable", /did not answer within 0.1 s/),
  );
});

Deno.test("fetchPage() refuses images and binaries with a message", async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  await using server = fakeServer((request) =>
    new URL(request.url).pathname === "/logo.png"
      ? new Response(png, { headers: { "Content-Type": "image/png" } })
      : new Response(png) // no Content-Type: sniffed
  );
  await assert.rejects(
    fetchPage(`${server.url}/logo.png`, local),
    hasCode("unsupported_content", /image\/png, not a web page/),
  );
  await assert.rejects(
    fetchPage(`${server.url}/blob`, local),
    hasCode("unsupported_content", /binary/),
  );
});

Deno.test("fetchPage() reports HTTP errors", async () => {
  await using server = fakeServer(() => new Response("gone", { status: 404 }));
  await assert.rejects(
    fetchPage(`${server.url}/missing`, local),
    hasCode("web_unavailable", /answered HTTP 404/),
  );
});

Deno.test("fetchPage() decodes the page's declared charset", async () => {
  const latin1 = new Uint8Array([
    ...new TextEncoder().encode("<html><body><p>na"),
    0xef,
    ...new TextEncoder().encode("ve caf"),
    0xe9,
    ...new TextEncoder().encode("</p></body></html>"),
  ]);
  await using server = fakeServer(() =>
    new Response(latin1, { headers: { "Content-Type": "text/html; charset=ISO-8859-1" } })
  );
  assert.equal((await fetchPage(server.url, local)).text, "naïve café");
});

Deno.test("fetchPage() decompresses a gzip body read over the pinned connection", async () => {
  const html = "<html><head><title>Z</title></head><body><p>Squeezed text.</p></body></html>";
  const gzip = new Blob([html]).stream().pipeThrough(new CompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(gzip).arrayBuffer());
  await using server = fakeServer(() =>
    new Response(bytes, { headers: { ...htmlHeaders, "Content-Encoding": "gzip" } })
  );
  const result = await fetchPage(`${server.url}/z`, local);
  assert.deepEqual([result.title, result.text], ["Z", "Squeezed text."]);
  assert.match(server.requests[0]?.headers.get("Host") ?? "", /^127\.0\.0\.1:\d+$/);
});
