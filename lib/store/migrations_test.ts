import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
import { Store } from "./store.ts";
import { LESSON_ID_OFFSET } from "./episodes_repo.ts";

type Row = Record<string, unknown>;

/** A database as a program of schema `version` left it: its migrations only, as it ran them. */
function databaseAt(path: string, version: number): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA foreign_keys = ON;");
  for (const m of MIGRATIONS.filter((m) => m.version <= version)) {
    db.exec("BEGIN IMMEDIATE");
    db.exec(m.sql);
    db.exec(`PRAGMA user_version = ${m.version}; COMMIT`);
  }
  return db;
}

function all(db: DatabaseSync, sql: string): Row[] {
  return db.prepare(sql).all().map((r) => ({ ...r }));
}

/** Schema 1's reflections: three sessions (one quarantined, one not indexed), lessons, log. */
function fillSchema1(db: DatabaseSync) {
  const session = db.prepare(
    `INSERT INTO sessions (name, model, started_at, ended_at, message_count, summary, decisions,
       surprises, tone, grounding, indexed, quarantined, embedding, embedding_model)
     VALUES (?, 'm', NULL, ?, 4, ?, '["d"]', '[]', 'flow', ?, ?, ?, ?, ?)`,
  );
  const lesson = db.prepare(
    `INSERT INTO lessons (session_id, text, created_at, embedding, embedding_model)
     VALUES (?, ?, '2026-11-01T00:00:00.000Z', ?, ?)`,
  );
  const vector = new Uint8Array(new Float32Array([1, 0]).buffer);
  session.run("kitchen", "2026-11-01T10:00:00.000Z", "Pump plan", 0.9, 1, 0, vector, "e");
  session.run("garage", "2026-11-02T10:00:00.000Z", "Zorblax", 0.2, 1, 1, null, null);
  session.run("hall", "2026-11-03T10:00:00.000Z", "Invented", 0.1, 0, 0, null, null);
  session.run("gone", "2026-11-04T10:00:00.000Z", "Deleted", 0.9, 1, 0, null, null);
  lesson.run(1, "Rinse the filter first", vector, "e");
  lesson.run(1, "Check the disk", null, null);
  lesson.run(2, "Zorblax again", null, null);
  lesson.run(4, "Deleted lesson", null, null);
  db.exec("DELETE FROM sessions WHERE id = 4"); // its lesson goes too (ON DELETE CASCADE)
  const log = db.prepare("INSERT INTO index_log (collection, op, item_id) VALUES (?, ?, ?)");
  log.run("documents", "add", 7);
  for (const id of [1, 1 + LESSON_ID_OFFSET, 2 + LESSON_ID_OFFSET]) log.run("sessions", "add", id);
  log.run("sessions", "remove", 2);
  db.exec(
    `INSERT INTO meta (key, value) VALUES ('index_log.sessions.compacted_through', '1'),
       ('index_log.documents.compacted_through', '1')`,
  );
}

Deno.test("migration 2 renames sessions to episodes and keeps every row, id and log entry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/memory.db`;
    const old = databaseAt(path, 1);
    fillSchema1(old);
    const sessions = all(old, "SELECT * FROM sessions ORDER BY id");
    const lessons = all(old, "SELECT * FROM lessons ORDER BY id");
    const log = all(old, "SELECT * FROM index_log ORDER BY seq");
    const meta = all(old, "SELECT * FROM meta ORDER BY key");
    assert.deepEqual(sessions.map((s) => s.id), [1, 2, 3]);
    assert.equal(lessons.length, 3);
    old.close();

    const store = Store.open(path);
    assert.equal(store.migratedFrom, 1);
    store.close();

    const db = new DatabaseSync(path);
    db.exec("PRAGMA foreign_keys = ON;");
    assert.equal(
      Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version),
      SCHEMA_VERSION,
    );
    const tables = all(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map((t) =>
      t.name
    );
    assert.ok(tables.includes("episodes"));
    assert.ok(!tables.includes("sessions"));
    // Migration 3 adds what claims need; old rows read as before (no claims, whole summary).
    assert.deepEqual(
      all(db, "SELECT * FROM episodes ORDER BY id"),
      sessions.map((s) => ({ ...s, recall_text: null })),
    );
    assert.deepEqual(
      all(db, "SELECT * FROM lessons ORDER BY id"),
      lessons.map(({ session_id, ...rest }) => ({ ...rest, episode_id: session_id, held_back: 0 })),
    );
    assert.deepEqual(all(db, "SELECT * FROM episode_claims"), []);
    assert.deepEqual(
      all(db, "SELECT * FROM index_log ORDER BY seq"),
      log.map((e) => ({
        ...e,
        collection: e.collection === "sessions" ? "episodes" : e.collection,
      })),
    );
    assert.deepEqual(
      all(db, "SELECT * FROM meta ORDER BY key"),
      meta.map((m) => ({ ...m, key: String(m.key).replace(".sessions.", ".episodes.") }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    );
    // The foreign key follows the table: deleting an episode still deletes its lessons.
    assert.match(
      String(all(db, "SELECT sql FROM sqlite_master WHERE name = 'lessons'")[0]?.sql),
      /REFERENCES "?episodes"?/,
    );
    assert.deepEqual(all(db, "PRAGMA foreign_key_check"), []);
    db.exec("DELETE FROM episodes WHERE id = 2");
    assert.deepEqual(all(db, "SELECT id FROM lessons ORDER BY id").map((l) => l.id), [1, 2]);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an episodes store migrated from schema 1 reads, indexes and numbers as before", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/memory.db`;
    const old = databaseAt(path, 1);
    fillSchema1(old);
    old.close();
    using store = Store.open(path);
    assert.deepEqual(store.episodes.list().map((e) => [e.id, e.name, e.lessons]), [
      [3, "hall", []],
      [1, "kitchen", ["Rinse the filter first", "Check the disk"]],
    ]);
    assert.deepEqual(store.episodes.list({ quarantined: true }).map((e) => e.id), [2]);
    assert.deepEqual(
      store.episodes.allIndexItems().map((i) => [i.id, i.kind, i.episode_id, i.embedding_model]),
      [[1, "summary", 1, "e"], [1 + LESSON_ID_OFFSET, "lesson", 1, "e"], [
        2 + LESSON_ID_OFFSET,
        "lesson",
        1,
        null,
      ]],
    );
    // The log's generation and compaction mark moved with the collection's name.
    assert.equal(store.indexLog.lastSeq("episodes"), 5);
    assert.equal(store.indexLog.compactedThrough("episodes"), 1);
    assert.deepEqual(store.indexLog.since("episodes", 1).map((e) => [e.op, e.item_id]), [
      ["add", 1],
      ["add", 1 + LESSON_ID_OFFSET],
      ["add", 2 + LESSON_ID_OFFSET],
      ["remove", 2],
    ]);
    assert.equal(store.indexLog.compactedThrough("documents"), 1);
    // AUTOINCREMENT's counter came along: the deleted session's id 4 is never reused.
    assert.equal(store.episodes.setQuarantined([2], false), 1);
    const id = store.episodes.add({
      name: "new",
      model: null,
      started_at: null,
      ended_at: "2026-11-05T10:00:00.000Z",
      message_count: 2,
      summary: "New one",
      decisions: [],
      lessons: ["New lesson"],
      surprises: [],
      tone: "neutral",
      grounding: 0.8,
      indexed: true,
      summaryEmbedding: null,
      lessonEmbeddings: [null],
      embeddingModel: null,
    });
    assert.equal(id, 5);
    assert.deepEqual(store.episodes.get(id)?.lessons, ["New lesson"]);
    assert.deepEqual(store.indexLog.since("episodes", 5).map((e) => [e.op, e.item_id]), [
      ["add", 2],
      ["add", 3 + LESSON_ID_OFFSET],
      ["add", 5],
      ["add", 5 + LESSON_ID_OFFSET],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failing migration 2 leaves schema 1 and its rows as they were", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/memory.db`;
    const old = databaseAt(path, 1);
    fillSchema1(old);
    // The table rename succeeds, then the column rename fails: the migration stops half-way.
    old.exec("ALTER TABLE lessons ADD COLUMN episode_id INTEGER");
    old.close();
    assert.throws(() => Store.open(path), /episode_id/);
    const db = new DatabaseSync(path);
    assert.equal(
      Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version),
      1,
    );
    const tables = all(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map((t) =>
      t.name
    );
    assert.ok(tables.includes("sessions") && !tables.includes("episodes"));
    assert.equal(all(db, "SELECT id FROM sessions").length, 3);
    assert.equal(all(db, "SELECT session_id FROM lessons").length, 3);
    assert.equal(all(db, "SELECT * FROM index_log WHERE collection = 'sessions'").length, 4);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
