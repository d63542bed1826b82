import assert from "node:assert/strict";
import { ingestPaths, type IngestSummary } from "./ingest.ts";
import type { Embedder } from "./embedder.ts";
import { Store } from "../store/mod.ts";
import { createError, systemClock } from "../core/mod.ts";

const FIXTURES = new URL("../../tests/fixtures/library/", import.meta.url).pathname;

/** An embedder that counts calls and can be told to fail after some batches. */
function countingEmbedder(options: { failAfterBatches?: number } = {}) {
  let batches = 0;
  const embedder: Embedder & { batches: () => number } = {
    model: "test-embed",
    batches: () => batches,
    embed(texts) {
      if (options.failAfterBatches !== undefined && batches >= options.failAfterBatches) {
        return Promise.reject(createError("model_server_unreachable", "server went away"));
      }
      batches++;
      return Promise.resolve(texts.map((t) => [t.length, 1, 0]));
    },
  };
  return embedder;
}

function byStatus(summary: IngestSummary) {
  const out: Record<string, string[]> = {};
  for (const item of summary.items) {
    (out[item.status] ??= []).push(item.path.slice(item.path.lastIndexOf("/") + 1));
  }
  for (const list of Object.values(out)) list.sort();
  return out;
}

Deno.test("ingestPaths() ingests every readable type and names each broken file", async () => {
  using store = Store.open(":memory:");
  const summary = await ingestPaths([FIXTURES], {
    store,
    embedder: countingEmbedder(),
    clock: systemClock,
  });
  const status = byStatus(summary);
  assert.deepEqual(status.ingested, [
    "data.json",
    "notes.md",
    "page.html",
    "plain.txt",
    "report.pdf",
    "script.py",
    "table.csv",
  ]);
  assert.deepEqual(status.skipped, [
    "binary.txt",
    "broken.json",
    "empty.md",
    "scanned.pdf",
    "truncated.pdf",
  ]);
  assert.equal(summary.failed, 0);
  const reasons = Object.fromEntries(
    summary.items.filter((i) => i.reason).map((i) => [i.path.split("/").pop(), i.reason]),
  );
  assert.match(reasons["binary.txt"]!, /binary content/);
  assert.match(reasons["empty.md"]!, /empty file/);
  assert.match(reasons["truncated.pdf"]!, /not a readable PDF/);
  assert.equal(store.library.stats().documents, 7);
  assert.equal(store.library.stats().chunks, summary.chunks);
  const notes = store.library.listDocuments().find((d) => d.source.endsWith("notes.md"));
  assert.equal(notes?.doc_type, "markdown");
  const sections = store.library.chunksByIds(
    store.indexLog.since("documents", 0).map((e) => e.item_id),
  ).filter((c) => c.source.endsWith("notes.md")).map((c) => c.section);
  assert.ok(sections.includes("Substrate"), String(sections));
  assert.deepEqual(store.library.embeddingModels(), [{
    model: "test-embed",
    chunks: summary.chunks,
  }]);
});

Deno.test("ingestPaths() does nothing for unchanged files and replaces a changed one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    const embedder = countingEmbedder();
    const deps = { store, embedder, clock: systemClock };
    await Deno.writeTextFile(`${dir}/a.md`, "# Alpha\n\nspores and hyphae grow in the dark\n");
    await Deno.writeTextFile(`${dir}/b.txt`, "beta text about mycelium networks\n");
    const first = await ingestPaths([dir], deps);
    assert.equal(first.ingested, 2);
    const calls = embedder.batches();
    const again = await ingestPaths([dir], deps);
    assert.equal(again.unchanged, 2);
    assert.equal(again.ingested, 0);
    assert.equal(embedder.batches(), calls, "no embedding work for unchanged files");
    await Deno.writeTextFile(`${dir}/a.md`, "# Alpha\n\nnow about fruiting bodies instead\n");
    const changed = await ingestPaths([dir], deps);
    assert.deepEqual([changed.ingested, changed.unchanged], [1, 1]);
    const texts = [...store.library.allIndexableChunks()].map((c) => c.text).join(" ");
    assert.match(texts, /fruiting bodies/);
    assert.doesNotMatch(texts, /spores and hyphae/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ingestPaths() stops when the model server fails, keeps what was committed, and a re-run finishes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const name of ["1", "2", "3", "4"]) {
      await Deno.writeTextFile(`${dir}/${name}.txt`, `file ${name} about fungi\n`);
    }
    using store = Store.open(":memory:");
    const failing = await ingestPaths([dir], {
      store,
      embedder: countingEmbedder({ failAfterBatches: 2 }),
      clock: systemClock,
    });
    assert.equal(failing.ingested, 2);
    assert.match(failing.stoppedEarly ?? "", /server went away/);
    assert.equal(store.library.stats().documents, 2);
    const rerun = await ingestPaths([dir], {
      store,
      embedder: countingEmbedder(),
      clock: systemClock,
    });
    assert.deepEqual([rerun.unchanged, rerun.ingested, rerun.stoppedEarly], [2, 2, null]);
    assert.equal(store.library.stats().documents, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ingestPaths() skips a file over the size limit and reports a missing path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/big.txt`, "word ".repeat(1000));
    await Deno.writeTextFile(`${dir}/small.txt`, "small file\n");
    using store = Store.open(":memory:");
    const summary = await ingestPaths([dir, `${dir}/missing.md`, `${dir}/x.png`], {
      store,
      embedder: null,
      clock: systemClock,
      maxFileBytes: 1000,
    });
    const reasons = Object.fromEntries(summary.items.map((i) => [i.path.split("/").pop(), i]));
    assert.equal(reasons["big.txt"]?.status, "skipped");
    assert.match(reasons["big.txt"]?.reason ?? "", /^too large \(4\.9 KB; limit 1000 bytes\)$/);
    assert.equal(reasons["missing.md"]?.status, "failed");
    assert.match(reasons["missing.md"]?.reason ?? "", /no such file/);
    assert.equal(reasons["x.png"]?.status, "failed");
    assert.equal(reasons["small.txt"]?.status, "ingested");
    assert.deepEqual(store.library.embeddingModels(), [{ model: null, chunks: 1 }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
