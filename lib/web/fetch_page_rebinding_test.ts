/**
 * DNS rebinding: a name that answers a public address to the guard and loopback to a second
 * lookup. The page is read from the address the guard checked, so a second answer never
 * matters. This machine's own host name stands in for the rebinding name: the system
 * resolver (which a second lookup would use) maps it to loopback through /etc/hosts.
 */

import assert from "node:assert/strict";
import { fetchPage } from "./fetch_page.ts";
import type { PageRequest, PageTransport } from "./page_transport.ts";
import { fakeServer } from "../../testing/fake_server.ts";
import { hasCode } from "../../testing/has_code.ts";

/** Answers `first` the first time it is asked, then 127.0.0.1. */
function rebinding(first: string) {
  const asked: string[] = [];
  const resolve = (host: string) => {
    asked.push(host);
    return Promise.resolve([asked.length === 1 ? first : "127.0.0.1"]);
  };
  return { asked, resolve };
}

Deno.test("fetchPage() never contacts the loopback service a rebinding name points to next", async () => {
  await using secret = fakeServer(() => new Response("loopback secret"), { hostname: "0.0.0.0" });
  // TEST-NET-1: public to the guard, and nothing answers there.
  const dns = rebinding("192.0.2.1");
  await assert.rejects(
    fetchPage(`http://${Deno.hostname()}:${secret.port}/admin`, {
      resolve: dns.resolve,
      timeoutMs: 1_500,
    }),
    hasCode("web_unavailable"),
  );
  assert.equal(secret.requests.length, 0);
  assert.deepEqual(dns.asked, [Deno.hostname()]);
});

Deno.test("fetchPage() connects only to the addresses it checked, at every hop", async () => {
  const sent: [string, readonly string[]][] = [];
  const transport: PageTransport = ({ url, addresses }: PageRequest) => {
    sent.push([url.href, addresses]);
    return Promise.resolve(
      url.hostname === "start.example"
        ? new Response(null, { status: 302, headers: { Location: "https://next.example/page" } })
        : new Response("arrived", { headers: { "Content-Type": "text/plain" } }),
    );
  };
  const dns = rebinding("93.184.216.34");
  const page = await fetchPage("https://start.example/", {
    transport,
    resolve: (host) =>
      host === "start.example" ? Promise.resolve(["93.184.216.35"]) : dns.resolve(host),
  });
  assert.equal(page.text, "arrived");
  assert.deepEqual(sent, [
    ["https://start.example/", ["93.184.216.35"]],
    ["https://next.example/page", ["93.184.216.34"]],
  ]);
});

Deno.test("fetchPage() refuses a redirect to a private address before connecting", async () => {
  const sent: string[] = [];
  const transport: PageTransport = ({ url }) => {
    sent.push(url.href);
    return Promise.resolve(
      new Response(null, { status: 301, headers: { Location: "http://router.example/admin" } }),
    );
  };
  await assert.rejects(
    fetchPage("https://start.example/", {
      transport,
      resolve: (host) =>
        Promise.resolve(host === "router.example" ? ["192.168.1.1"] : ["93.184.216.34"]),
    }),
    hasCode("url_refused", /router\.example resolves to 192\.168\.1\.1, a private address/),
  );
  assert.deepEqual(sent, ["https://start.example/"]);
});
