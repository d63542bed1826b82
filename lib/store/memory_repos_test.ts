import assert from "node:assert/strict";
import { Store } from "./store.ts";
import { LESSON_ID_OFFSET, type NewEpisode } from "./episodes_repo.ts";

function episode(name: string, extra: Partial<NewEpisode> = {}): NewEpisode {
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

Deno.test("EpisodesRepo stores episodes with lessons as separate searchable items", () => {
  using store = Store.open(":memory:");
  const id = store.episodes.add(episode("a"));
  const row = store.episodes.get(id)!;
  assert.deepEqual([row.summary, row.decisions, row.lessons, row.tone], [
    "summary of a",
    ["d1"],
    ["lesson one", "lesson two"],
    "flow",
  ]);
  const items = store.episodes.allIndexItems();
  assert.deepEqual(items.map((i) => [i.kind, i.episode_id, i.text]), [
    ["summary", id, "summary of a"],
    ["lesson", id, "lesson one"],
    ["lesson", id, "lesson two"],
  ]);
  assert.ok(items[1]!.id > LESSON_ID_OFFSET);
  assert.deepEqual([...items[1]!.embedding!], [0, 1]);
  assert.equal(items[2]!.embedding, null);
  assert.deepEqual(store.indexLog.since("episodes", 0).map((e) => e.op), ["add", "add", "add"]);
});

Deno.test("EpisodesRepo keeps a low-grounding episode out of the index, and quarantines/restores", () => {
  using store = Store.open(":memory:");
  const hidden = store.episodes.add(episode("low", { grounding: 0.1, indexed: false }));
  const shown = store.episodes.add(episode("ok"));
  assert.deepEqual(
    new Set(store.episodes.allIndexItems().map((i) => i.episode_id)),
    new Set([shown]),
  );
  assert.equal(store.episodes.get(hidden)?.indexed, false);

  assert.equal(store.episodes.setQuarantined([shown], true), 1);
  assert.deepEqual(store.episodes.allIndexItems(), []);
  assert.deepEqual(store.episodes.list({ quarantined: true }).map((s) => s.id), [shown]);
  assert.deepEqual(store.indexLog.since("episodes", 0).map((e) => e.op).slice(-3), [
    "remove",
    "remove",
    "remove",
  ]);
  assert.equal(store.episodes.setQuarantined([shown], true), 0, "already quarantined");
  store.episodes.setQuarantined([shown], false);
  assert.equal(store.episodes.allIndexItems().length, 3);
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

Deno.test("EpisodesRepo.restoreClaims() keeps the grounded decisions and surprises in what recall indexes", () => {
  using store = Store.open(":memory:");
  const claim = (kind: "summary" | "decision" | "surprise", position: number, text: string) => ({
    kind,
    position,
    text,
    grounded: position !== 1,
    reason: position === 1 ? "Zorblax never came up" : "",
    missing: position === 1 ? ["name:zorblax"] : [],
    quarantined: false,
  });
  const id = store.episodes.add(episode("a", {
    summary: "Discussed backups. Looked at Zorblax.",
    decisions: ["Keep seven daily archives"],
    surprises: ["Restores were slow"],
    claims: [
      claim("summary", 0, "Discussed backups."),
      claim("summary", 1, "Looked at Zorblax."),
      claim("decision", 2, "Keep seven daily archives"),
      claim("surprise", 3, "Restores were slow"),
    ],
    recallText: "Discussed backups. Keep seven daily archives Restores were slow",
  }));
  const held = store.episodes.get(id)!.claims[1]!;
  assert.equal(store.episodes.restoreClaims([held.id]), 1);
  const summary = store.episodes.allIndexItems().find((i) => i.kind === "summary")!;
  assert.equal(
    summary.text,
    "Discussed backups. Looked at Zorblax. Keep seven daily archives Restores were slow",
  );
});
