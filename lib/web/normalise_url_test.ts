import assert from "node:assert/strict";
import { dedupeByUrl, normaliseUrl } from "./normalise_url.ts";

Deno.test("normaliseUrl() drops scheme, www, fragment, tracking and trailing slash", () => {
  const same = [
    "https://docs.deno.com/runtime/reference/cli/fmt/",
    "http://www.docs.deno.com/runtime/reference/cli/fmt#options",
    "https://DOCS.deno.com/runtime/reference/cli/fmt?utm_source=ddg&utm_medium=x",
  ];
  assert.deepEqual(new Set(same.map(normaliseUrl)).size, 1);
});

Deno.test("normaliseUrl() keeps what identifies the page", () => {
  assert.notEqual(normaliseUrl("https://a.com/x"), normaliseUrl("https://a.com/y"));
  assert.notEqual(normaliseUrl("https://a.com/x?id=1"), normaliseUrl("https://a.com/x?id=2"));
  assert.notEqual(normaliseUrl("https://a.com:8080/"), normaliseUrl("https://a.com/"));
  assert.equal(normaliseUrl("https://a.com/x?b=2&a=1"), normaliseUrl("https://a.com/x?a=1&b=2"));
  assert.equal(normaliseUrl(" not a url "), "not a url");
});

Deno.test("dedupeByUrl() keeps the first result of each page, in order", () => {
  const results = [
    { url: "https://a.com/1", n: 1 },
    { url: "https://b.com/", n: 2 },
    { url: "http://www.a.com/1/", n: 3 },
    { url: "https://b.com", n: 4 },
  ];
  assert.deepEqual(dedupeByUrl(results).map((r) => r.n), [1, 2]);
});
