import assert from "node:assert/strict";
import { fetchPage } from "./fetch_page.ts";
import type { PageRequest, PageTransport } from "./page_transport.ts";
import { fakeServer } from "../../testing/fake_server.ts";
import { hasCode } from "../../testing/has_code.ts";

/** A transport that must never be called. */
const noFetch: PageTransport = () => Promise.reject(new Error("the transport must not be called"));
const resolveTo = (...addresses: string[]) => () => Promise.resolve(addresses);

for (
  const [url, pattern] of [
    ["http://127.0.0.1/", /loopback/],
    ["http://127.8.9.10:8080/admin", /loopback/],
    ["http://[::1]/", /loopback/],
    ["http://[::ffff:127.0.0.1]/", /loopback/],
    ["http://0.0.0.0/", /unspecified/],
    ["http://169.254.169.254/latest/meta-data/", /link-local/],
    ["http://[fe80::1]/", /link-local/],
    ["http://10.0.0.1/", /private/],
    ["http://192.168.1.1/", /private/],
    ["http://[fd12:3456::1]/", /private/],
    ["http://2130706433/", /loopback/], // 127.0.0.1 as one number
  ] as const
) {
  Deno.test(`fetchPage() refuses ${url} by default`, async () => {
    await assert.rejects(fetchPage(url, { transport: noFetch }), hasCode("url_refused", pattern));
  });
}

Deno.test("fetchPage() refuses localhost and names resolving to private addresses", async () => {
  await assert.rejects(
    fetchPage("http://localhost:3000/", { transport: noFetch }),
    hasCode("url_refused", /localhost:3000 resolves to 127\.0\.0\.1/),
  );
  await assert.rejects(
    fetchPage("http://LocalHost.:3000/", { transport: noFetch }),
    hasCode("url_refused", /localhost\.:3000 resolves to 127\.0\.0\.1/),
  );
  await assert.rejects(
    fetchPage("http://intranet.example/", {
      transport: noFetch,
      resolve: resolveTo("93.184.216.34", "10.1.2.3"),
    }),
    hasCode("url_refused", /resolves to 10\.1\.2\.3, a private address/),
  );
});

Deno.test("fetchPage() refuses a redirect to loopback, checking every hop", async () => {
  const calls: string[] = [];
  const transport: PageTransport = ({ url }: PageRequest) => {
    calls.push(url.href);
    return Promise.resolve(
      new Response(null, { status: 302, headers: { Location: "http://127.0.0.1:7890/api/peers" } }),
    );
  };
  await assert.rejects(
    fetchPage("https://public.example/go", { transport, resolve: resolveTo("93.184.216.34") }),
    hasCode("url_refused", /127\.0\.0\.1/),
  );
  assert.deepEqual(calls, ["https://public.example/go"]);
});

Deno.test("fetchPage() always refuses this node's own API port on loopback", async () => {
  await using api = fakeServer(() => new Response("peer table"));
  const options = { allowPrivate: true, ownApiPort: api.port };
  await assert.rejects(fetchPage(`${api.url}/status`, options), hasCode("url_refused", /own API/));
  await assert.rejects(
    fetchPage(`http://localhost:${api.port}/`, options),
    hasCode("url_refused", /own API/),
  );
  await assert.rejects(
    fetchPage(`http://0.0.0.0:${api.port}/`, options),
    hasCode("url_refused", /own API/),
  );
  await assert.rejects(
    fetchPage("http://127.0.0.1:7890/", { allowPrivate: true }),
    hasCode("url_refused", /port 7890/),
  );
  assert.equal(api.requests.length, 0);
});

Deno.test("fetchPage() reads only http and https URLs", async () => {
  await assert.rejects(
    fetchPage("file:///etc/passwd", { transport: noFetch }),
    hasCode("url_refused", /not file:/),
  );
  await assert.rejects(
    fetchPage("ftp://example.com/", { transport: noFetch }),
    hasCode("url_refused"),
  );
  await assert.rejects(fetchPage("not a url", { transport: noFetch }), hasCode("invalid_input"));
});

Deno.test("fetchPage() refuses a name that does not resolve", async () => {
  const resolve = () => Promise.reject(new Error("no such host"));
  await assert.rejects(
    fetchPage("https://nowhere.example/", { transport: noFetch, resolve }),
    hasCode("web_unavailable", /Cannot resolve nowhere\.example: no such host/),
  );
  await assert.rejects(
    fetchPage("https://empty.example/", { transport: noFetch, resolve: resolveTo() }),
    hasCode("web_unavailable", /no addresses/),
  );
});

Deno.test("fetchPage() sends a public address's checked addresses to the transport", async () => {
  const seen: (readonly string[])[] = [];
  const transport: PageTransport = ({ addresses }) => {
    seen.push(addresses);
    return Promise.resolve(new Response("hello", { headers: { "Content-Type": "text/plain" } }));
  };
  const page = await fetchPage("https://public.example/", {
    transport,
    resolve: resolveTo("93.184.216.34", "2606:2800:220:1::1"),
  });
  assert.equal(page.text, "hello");
  assert.deepEqual(seen, [["93.184.216.34", "2606:2800:220:1::1"]]);
});
