import assert from "node:assert/strict";
import {
  episodesSource,
  openCollectionIndex,
  openLibraryIndex,
  snapshotPath,
} from "./collection_index.ts";
import { searchLibrary, snippetOf } from "./library_search.ts";
import { ingestPaths } from "./ingest.ts";
import type { Embedder } from "./embedder.ts";
import { Store } from "../store/mod.ts";
import { type Logger, systemClock } from "../core/mod.ts";
import { startFakeLlm } from "../../testing/fake_llm.ts";
import { testClient } from "../../testing/model_client.ts";
import { format1Snapshot } from "../../testing/format1_snapshot.ts";

function recordingLogger(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [], infos: string[] = [];
  return {
    warnings,
    infos,
    debug() {},
    info: (m) => infos.push(m),
    warn: (m) => warnings.push(m),
    error() {},
  };
}

async function fakeEmbedder(url: string): Promise<Embedder> {
  const client = testClient(url);
  const { embedding } = await client.roles();
  return { model: embedding!, embed: (texts) => client.embed(texts) };
}

async function writeDocs(dir: string, docs: Record<string, string>) {
  for (const [name, text] of Object.entries(docs)) await Deno.writeTextFile(`${dir}/${name}`, text);
}

const DOCS = {
  "nas.md": "# Backups\n\nThe NAS runs a nightly backup of the family photos at 02:00.\n",
  "garden.md": "# Garden\n\nTomatoes need staking in June and watering every evening.\n",
  "oyster.md": "# Harvest\n\nPick oyster mushroom clusters before the caps flatten.\n",
};

Deno.test("library search finds by keyword and by meaning with the test server's embeddings", async () => {
  await using fake = await startFakeLlm();
  const dir = await Deno.makeTempDir();
  try {
    await writeDocs(dir, DOCS);
    using store = Store.open(":memory:");
    const embedder = await fakeEmbedder(fake.url);
    await ingestPaths([dir], { store, embedder, clock: systemClock });
    const logger = recordingLogger();
    const opened = await openLibraryIndex(store, {
      indexDir: `${dir}/index`,
      vectorModel: embedder.model,
      logger,
    });
    assert.equal(opened.origin, "rebuilt");
    assert.deepEqual(logger.warnings, [], "a first build is not a warning");
    const result = await searchLibrary("nightly backup of photos", {
      store,
      index: opened.index,
      embedder,
    }, { limit: 3 });
    assert.equal(result.mode, "hybrid");
    assert.match(result.hits[0]!.source, /nas\.md$/);
    assert.equal(result.hits[0]!.section, "Backups");
    assert.equal(result.hits[0]!.bm25_rank, 1);
    assert.equal(result.hits[0]!.vector_rank, 1);
    // The section title is searchable: "harvest" is only in oyster.md's heading.
    const bySection = await searchLibrary("harvest", {
      store,
      index: opened.index,
      embedder: null,
    });
    assert.equal(bySection.mode, "bm25");
    assert.match(bySection.hits[0]!.source, /oyster\.md$/);
    assert.match(bySection.notes[0]!, /keyword search only/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openLibraryIndex() uses a current snapshot, replays a stale one, rebuilds a damaged one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeDocs(dir, DOCS);
    using store = Store.open(":memory:");
    const embedder: Embedder = {
      model: "m",
      embed: (texts) => Promise.resolve(texts.map((t) => [t.length % 7, 1, 2])),
    };
    await ingestPaths([dir], { store, embedder, clock: systemClock });
    const options = { indexDir: `${dir}/index`, vectorModel: "m", logger: recordingLogger() };
    assert.equal((await openLibraryIndex(store, options)).origin, "rebuilt");
    assert.equal((await openLibraryIndex(store, options)).origin, "snapshot");

    await Deno.writeTextFile(`${dir}/new.md`, "# Bees\n\nThe hive needs a water dish in summer.\n");
    await ingestPaths([dir], { store, embedder, clock: systemClock });
    store.library.removeDocument(`${dir}/garden.md`);
    const replayed = await openLibraryIndex(store, options);
    assert.equal(replayed.origin, "replayed");
    const hits = (q: string) =>
      searchLibrary(q, { store, index: replayed.index, embedder: null }).then((r) =>
        r.hits.map((h) => h.source.split("/").pop())
      );
    assert.deepEqual(await hits("hive water dish"), ["new.md"]);
    assert.deepEqual(await hits("tomatoes staking"), []);

    const path = snapshotPath(options.indexDir, "m");
    const bytes = await Deno.readFile(path);
    await Deno.writeFile(path, bytes.slice(0, bytes.length / 2));
    const logger = recordingLogger();
    const rebuilt = await openLibraryIndex(store, { ...options, logger });
    assert.equal(rebuilt.origin, "rebuilt");
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0]!, /damaged or unreadable; rebuilt it from the database/);
    assert.equal(rebuilt.index.size, store.library.stats().chunks);

    await Deno.remove(path);
    assert.equal((await openLibraryIndex(store, options)).origin, "rebuilt");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openLibraryIndex() rebuilds a snapshot of the format before once, in one line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeDocs(dir, DOCS);
    using store = Store.open(":memory:");
    await ingestPaths([dir], { store, embedder: null, clock: systemClock });
    const logger = recordingLogger();
    const options = { indexDir: `${dir}/index`, vectorModel: null, logger };
    const path = snapshotPath(options.indexDir, null);
    await Deno.mkdir(options.indexDir);
    // Up to date by its own header: only its format says it must not be loaded.
    const generation = store.indexLog.lastSeq("documents");
    await Deno.writeFile(path, format1Snapshot({ generation, count: 1 }));

    const rebuilt = await openLibraryIndex(store, options);
    assert.equal(rebuilt.origin, "rebuilt");
    assert.equal(rebuilt.index.size, store.library.stats().chunks);
    assert.equal(rebuilt.index.search({ text: "tomatoes staking" }).length, 1);
    assert.deepEqual(logger.infos, [
      'search index for "library" is from an older version; rebuilding from the store (one time)…',
    ]);
    assert.deepEqual(logger.warnings, []);

    const again = await openLibraryIndex(store, options);
    assert.equal(again.origin, "snapshot");
    assert.equal(again.index.size, rebuilt.index.size);
    assert.equal(logger.infos.length, 1, "the second open is silent");
    assert.deepEqual(logger.warnings, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openCollectionIndex() takes over an episodes snapshot saved under the old name 'sessions'", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    store.episodes.add({
      name: "kitchen",
      model: null,
      started_at: null,
      ended_at: "2026-11-01T10:00:00.000Z",
      message_count: 2,
      summary: "We planned the pond pump cleaning",
      decisions: [],
      lessons: ["Rinse the filter sponge first"],
      surprises: [],
      tone: "flow",
      grounding: 0.9,
      indexed: true,
      summaryEmbedding: null,
      lessonEmbeddings: [null],
      embeddingModel: null,
    });
    const logger = recordingLogger();
    const options = { indexDir: `${dir}/index`, vectorModel: null, logger };
    const source = episodesSource(store);
    assert.equal((await openCollectionIndex(store, source, options)).origin, "rebuilt");
    // What a home of schema 1 holds: the same snapshot (its log positions kept by migration 2)
    // under the collection's former name.
    const path = snapshotPath(options.indexDir, null, "episodes");
    const former = `${options.indexDir}/sessions.keywords-only.snapshot`;
    await Deno.rename(path, former);

    const opened = await openCollectionIndex(store, source, options);
    assert.equal(opened.origin, "snapshot");
    assert.equal(opened.index.search({ text: "filter sponge" }).length, 1);
    assert.equal(await Deno.stat(former).then(() => true, () => false), false);
    assert.equal((await Deno.stat(path)).isFile, true);
    assert.deepEqual(logger.warnings, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("snippetOf() centres on the first query word and stays on one line", () => {
  const text = `${"filler ".repeat(80)}the backup\nruns nightly ${"tail ".repeat(80)}`;
  const snippet = snippetOf(text, "backup", 120);
  assert.ok(snippet.startsWith("…") && snippet.endsWith("…"));
  assert.ok(snippet.includes("the backup runs nightly"));
  assert.ok(!snippet.includes("\n"));
  assert.equal(snippetOf("short text", "zzz"), "short text");
});
