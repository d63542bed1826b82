import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Store } from "./store.ts";
import { SCHEMA_VERSION } from "./migrations.ts";
import type { NewChunk, NewDocument } from "./library_repo.ts";
import { isMycoError } from "../core/mod.ts";
import { overwriteRootPage } from "../../testing/damaged_db.ts";

function doc(source: string, hash = "h1"): NewDocument {
  return {
    source,
    title: source,
    doc_type: "text",
    content_hash: hash,
    size_bytes: 10,
    file_date: "2026-11-01T00:00:00.000Z",
    ingested_at: "2026-11-21T00:00:00.000Z",
  };
}

function chunks(n: number, model: string | null = "m"): NewChunk[] {
  return Array.from({ length: n }, (_, i) => ({
    position: i,
    section: i === 0 ? null : `Part ${i}`,
    text: `chunk ${i} text`,
    embedding: model ? new Float32Array([i, 1, 2]) : null,
    embeddingModel: model,
  }));
}

Deno.test("Store.open() creates the schema at the current version, in WAL mode", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(`${dir}/sub/memory.db`);
    assert.equal(store.migratedFrom, 0);
    const db = new DatabaseSync(`${dir}/sub/memory.db`);
    assert.deepEqual({ ...db.prepare("PRAGMA journal_mode").get() }, { journal_mode: "wal" });
    assert.equal(
      Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version),
      SCHEMA_VERSION,
    );
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
      .map((r) => (r as { name: string }).name);
    for (const t of ["documents", "chunks", "facts", "episodes", "lessons", "procedures"]) {
      assert.ok(tables.includes(t), t);
    }
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Store.open() migrates an older database and refuses a newer one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const old = new DatabaseSync(`${dir}/old.db`);
    old.exec("CREATE TABLE unrelated (x); PRAGMA user_version = 0;");
    old.close();
    const store = Store.open(`${dir}/old.db`);
    assert.equal(store.migratedFrom, 0);
    assert.equal(store.library.stats().documents, 0);
    store.close();
    const newer = new DatabaseSync(`${dir}/newer.db`);
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5};`);
    newer.close();
    assert.throws(() => Store.open(`${dir}/newer.db`), /newer than this program's/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Store.open() names a file that is not a database and leaves it alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/memory.db`;
    const garbage = "this is not sqlite ".repeat(300);
    await Deno.writeTextFile(path, garbage);
    assert.throws(() => Store.open(path), (e) => {
      assert.ok(isMycoError(e, "store_damaged"));
      assert.ok(e.message.includes(path));
      assert.match(e.hint ?? "", /\.recover/);
      return true;
    });
    assert.equal(await Deno.readTextFile(path), garbage);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LibraryRepo.replaceDocument() swaps chunks atomically and logs the change", () => {
  using store = Store.open(":memory:");
  const first = store.library.replaceDocument(doc("/a.txt"), chunks(3));
  assert.equal(first.added.length, 3);
  assert.deepEqual(first.removed, []);
  assert.equal(store.library.documentBySource("/a.txt")?.chunk_count, 3);
  const second = store.library.replaceDocument(doc("/a.txt", "h2"), chunks(2));
  assert.deepEqual(second.removed, first.added);
  assert.equal(store.library.stats().chunks, 2);
  assert.equal(store.library.documentBySource("/a.txt")?.content_hash, "h2");
  const log = store.indexLog.since("documents", 0);
  assert.deepEqual(log.map((e) => e.op), [
    "add",
    "add",
    "add",
    "remove",
    "remove",
    "remove",
    "add",
    "add",
  ]);
  assert.equal(store.indexLog.lastSeq("documents"), log.at(-1)?.seq);
  const rows = store.library.chunksByIds([...second.added].reverse());
  assert.deepEqual(rows.map((r) => r.position), [1, 0]);
  assert.equal(rows[0]?.section, "Part 1");
  assert.equal(rows[0]?.source, "/a.txt");
  const indexable = store.library.indexableChunks(second.added);
  assert.deepEqual([...(indexable[1]?.embedding ?? [])], [1, 1, 2]);
});

Deno.test("LibraryRepo keeps the old document when a replacement fails mid-way", () => {
  using store = Store.open(":memory:");
  store.library.replaceDocument(doc("/a.txt"), chunks(2));
  const bad = [...chunks(2), ...chunks(1)]; // position 0 twice: violates UNIQUE
  assert.throws(() => store.library.replaceDocument(doc("/a.txt", "h2"), bad));
  assert.equal(store.library.documentBySource("/a.txt")?.content_hash, "h1");
  assert.equal(store.library.stats().chunks, 2);
  assert.equal(store.indexLog.since("documents", 0).length, 2);
});

Deno.test("LibraryRepo removes documents, re-embeds chunks and counts models", () => {
  using store = Store.open(":memory:");
  const a = store.library.replaceDocument(doc("/a.txt"), chunks(2, null));
  store.library.replaceDocument(doc("/b.txt"), chunks(1, "old-model"));
  assert.deepEqual(store.library.chunksToEmbed("new-model", 10).length, 3);
  store.library.setEmbeddings("new-model", [{ id: a.added[0]!, embedding: new Float32Array(3) }]);
  const models = Object.fromEntries(
    store.library.embeddingModels().map((m) => [m.model, m.chunks]),
  );
  assert.deepEqual(models, { "new-model": 1, "old-model": 1, null: 1 });
  const removed = store.library.removeDocument("/a.txt");
  assert.deepEqual(removed?.removed, a.added);
  assert.equal(store.library.removeDocument("/a.txt"), null);
  assert.equal(store.library.stats().documents, 1);
  assert.deepEqual([...store.library.allIndexableChunks()].map((c) => c.embedding_model), [
    "old-model",
  ]);
});

Deno.test("IndexLog compaction keeps the generation and says when replay is impossible", () => {
  using store = Store.open(":memory:");
  store.library.replaceDocument(doc("/a.txt"), chunks(2));
  const seq = store.indexLog.lastSeq("documents");
  store.library.replaceDocument(doc("/b.txt"), chunks(1));
  const last = store.indexLog.lastSeq("documents");
  store.indexLog.compact("documents", last);
  assert.equal(store.indexLog.lastSeq("documents"), last);
  assert.equal(store.indexLog.countSince("documents", 0), 0);
  assert.equal(store.indexLog.canReplayFrom("documents", last), true);
  assert.equal(store.indexLog.canReplayFrom("documents", seq), false);
  assert.equal(store.indexLog.lastSeq("episodes"), 0);
});

Deno.test("Store.open() finds an overwritten page and says what to do", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/memory.db`;
    {
      using store = Store.open(path);
      store.facts.add("the boiler is serviced in May", "fact", "2025-01-01T00:00:00Z");
    }
    await overwriteRootPage(path, "facts");
    assert.throws(() => Store.open(path), (e) => {
      assert.ok(isMycoError(e, "store_damaged"));
      assert.match(e.message, /memory\.db is damaged \(.+\)/);
      assert.match(e.hint ?? "", /sqlite3 memory\.db \.recover \| sqlite3 memory\.db\.recovered/);
      assert.match(e.hint ?? "", /move all three aside/);
      return true;
    });
    // Unchecked, it opens; the next check still finds the damage.
    using unchecked = Store.open(path, { check: "never" });
    assert.throws(() => unchecked.check(), (e) => isMycoError(e, "store_damaged"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Store.check() runs only when the file changed since the last good check", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/memory.db`;
    {
      using store = Store.open(path);
      store.facts.add("a fact", "fact", "2025-01-01T00:00:00Z");
    }
    {
      // Its own writes were recorded at close: nothing to check.
      using store = Store.open(path, { check: "never" });
      assert.equal(store.check(), false);
      assert.equal(store.check({ force: true }), true);
    }
    await Deno.utime(path, new Date(), new Date(2020, 0, 1)); // someone else touched it
    using store = Store.open(path, { check: "never" });
    assert.equal(store.check(), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
