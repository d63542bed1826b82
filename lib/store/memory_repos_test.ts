import assert from "node:assert/strict";
import { Store } from "./store.ts";
import { LESSON_ID_OFFSET, type NewReflection } from "./sessions_repo.ts";

function reflection(name: string, extra: Partial<NewReflection> = {}): NewReflection {
  return {
    name,
    model: "m",
    started_at: null,
    ended_at: "2026-11-20T10:00:00.000Z",
    message_count: 4,
    summary: `summary of ${name}`,
    decisions: ["d1"],
    lessons: ["lesson one", "lesson two"],
    surprises: [],
    tone: "flow",
    grounding: 0.9,
    indexed: true,
    summaryEmbedding: new Float32Array([1, 0]),
    lessonEmbeddings: [new Float32Array([0, 1]), null],
    embeddingModel: "e",
    ...extra,
  };
}

Deno.test("SessionsRepo stores reflections with lessons as separate searchable items", () => {
  using store = Store.open(":memory:");
  const id = store.sessions.add(reflection("a"));
  const row = store.sessions.get(id)!;
  assert.deepEqual([row.summary, row.decisions, row.lessons, row.tone], [
    "summary of a",
    ["d1"],
    ["lesson one", "lesson two"],
    "flow",
  ]);
  const items = store.sessions.allIndexItems();
  assert.deepEqual(items.map((i) => [i.kind, i.session_id, i.text]), [
    ["summary", id, "summary of a"],
    ["lesson", id, "lesson one"],
    ["lesson", id, "lesson two"],
  ]);
  assert.ok(items[1]!.id > LESSON_ID_OFFSET);
  assert.deepEqual([...items[1]!.embedding!], [0, 1]);
  assert.equal(items[2]!.embedding, null);
  assert.deepEqual(store.indexLog.since("sessions", 0).map((e) => e.op), ["add", "add", "add"]);
});

Deno.test("SessionsRepo keeps a low-grounding session out of the index, and quarantines/restores", () => {
  using store = Store.open(":memory:");
  const hidden = store.sessions.add(reflection("low", { grounding: 0.1, indexed: false }));
  const shown = store.sessions.add(reflection("ok"));
  assert.deepEqual(
    new Set(store.sessions.allIndexItems().map((i) => i.session_id)),
    new Set([shown]),
  );
  assert.equal(store.sessions.get(hidden)?.indexed, false);

  assert.equal(store.sessions.setQuarantined([shown], true), 1);
  assert.deepEqual(store.sessions.allIndexItems(), []);
  assert.deepEqual(store.sessions.list({ quarantined: true }).map((s) => s.id), [shown]);
  assert.deepEqual(store.indexLog.since("sessions", 0).map((e) => e.op).slice(-3), [
    "remove",
    "remove",
    "remove",
  ]);
  assert.equal(store.sessions.setQuarantined([shown], true), 0, "already quarantined");
  store.sessions.setQuarantined([shown], false);
  assert.equal(store.sessions.allIndexItems().length, 3);
});

Deno.test("ProceduresRepo adds, lists, counts uses and removes, logging for the index", () => {
  using store = Store.open(":memory:");
  const p = store.procedures.add({
    problem: "backup fails",
    solution: "check the disk",
    source: "user",
    created_at: "2026-11-20T10:00:00.000Z",
  });
  store.procedures.used([p.id]);
  assert.equal(store.procedures.get(p.id)?.use_count, 1);
  assert.deepEqual(store.procedures.allIndexItems().map((i) => i.text), [
    "backup fails\ncheck the disk",
  ]);
  assert.equal(store.procedures.remove(p.id), true);
  assert.equal(store.procedures.remove(p.id), false);
  assert.deepEqual(store.indexLog.since("procedures", 0).map((e) => e.op), ["add", "remove"]);
});
