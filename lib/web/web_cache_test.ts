import assert from "node:assert/strict";
import { ManualTime } from "../../testing/time.ts";
import { WebCache } from "./web_cache.ts";

const hits = [{ title: "Deno", url: "https://deno.com/", snippet: "A runtime" }];

async function withCache(
  fn: (cache: WebCache, dir: string, clock: ManualTime) => Promise<void>,
  maxEntries?: number,
) {
  const dir = await Deno.makeTempDir({ prefix: "web_cache_test_" });
  const clock = new ManualTime(1_700_000_000_000);
  try {
    await fn(
      new WebCache({ dir: `${dir}/web`, clock, maxEntries }),
      `${dir}/web`,
      clock,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function files(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names;
}

Deno.test("WebCache hits only for the same provider, query and limit", async () => {
  await withCache(async (cache) => {
    assert.equal(await cache.get("duckduckgo", "deno", 5), null);
    await cache.set("duckduckgo", "deno", 5, hits);
    assert.deepEqual(await cache.get("duckduckgo", "  DENO ", 5), hits);
    assert.equal(await cache.get("brave", "deno", 5), null);
    assert.equal(await cache.get("duckduckgo", "deno", 6), null);
    assert.equal(await cache.get("duckduckgo", "deno fmt", 5), null);
  });
});

Deno.test("WebCache forgets an entry after its TTL (1 h by default)", async () => {
  await withCache(async (cache, dir, clock) => {
    await cache.set("duckduckgo", "deno", 5, hits);
    clock.time += 60 * 60 * 1000 - 1;
    assert.deepEqual(await cache.get("duckduckgo", "deno", 5), hits);
    clock.time += 1;
    assert.equal(await cache.get("duckduckgo", "deno", 5), null);
    assert.deepEqual(await files(dir), []); // the expired file is gone
  });
});

Deno.test("WebCache ignores a damaged file and replaces it on the next set", async () => {
  await withCache(async (cache, dir) => {
    await cache.set("duckduckgo", "deno", 5, hits);
    const [name] = await files(dir);
    await Deno.writeTextFile(`${dir}/${name}`, '{"version": 1, "storedAt": "yesterday", "resu');
    assert.equal(await cache.get("duckduckgo", "deno", 5), null);
    await cache.set("duckduckgo", "deno", 5, hits);
    assert.deepEqual(await cache.get("duckduckgo", "deno", 5), hits);
  });
});

Deno.test("WebCache writes atomically: one file per entry, no temporary files", async () => {
  await withCache(async (cache, dir) => {
    await Promise.all([
      cache.set("duckduckgo", "a", 5, hits),
      cache.set("duckduckgo", "a", 5, hits),
      cache.set("duckduckgo", "b", 5, hits),
    ]);
    const names = await files(dir);
    assert.equal(names.length, 2);
    assert.ok(names.every((name) => /^[0-9a-f]{32}\.json$/.test(name)));
  });
});

Deno.test("WebCache evicts the oldest entries past its bound", async () => {
  await withCache(async (cache, _dir, clock) => {
    for (const query of ["one", "two", "three", "four"]) {
      await cache.set("duckduckgo", query, 5, hits);
      clock.time += 1_000;
    }
    assert.equal(await cache.get("duckduckgo", "one", 5), null);
    assert.equal(await cache.get("duckduckgo", "two", 5), null);
    assert.deepEqual(await cache.get("duckduckgo", "three", 5), hits);
    assert.deepEqual(await cache.get("duckduckgo", "four", 5), hits);
  }, 2);
});

Deno.test("WebCache reports a folder it cannot write as storage_failed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "web_cache_test_" });
  try {
    await Deno.writeTextFile(`${dir}/file`, "not a folder");
    const cache = new WebCache({ dir: `${dir}/file/web` });
    await assert.rejects(
      cache.set("duckduckgo", "deno", 5, hits),
      (e: { code?: string }) => e.code === "storage_failed",
    );
    assert.equal(await cache.get("duckduckgo", "deno", 5), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
