import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { HybridIndex, type IndexItem } from "./hybrid_index.ts";

const ITEMS: IndexItem[] = [
  { id: 1, text: "How to configure the nightly backup schedule on the NAS", vector: [1, 0, 0, 0] },
  { id: 2, text: "Sourdough bread needs a lively starter and a long proof", vector: [0, 1, 0, 0] },
  {
    id: 3,
    text: "Restore files from a backup snapshot after a disk failure",
    vector: [0.9, 0.1, 0, 0],
  },
  { id: 4, text: "Tomato seedlings want warmth, light and careful watering", vector: [0, 0, 1, 0] },
  { id: 5, text: "The NAS fan is loud: clean the dust filter", vector: [0.2, 0, 0, 0.9] },
];

function index(): HybridIndex {
  const idx = new HybridIndex();
  idx.add(ITEMS);
  return idx;
}

const ids = (hits: { id: number }[]) => hits.map((h) => h.id);

Deno.test("HybridIndex.search() in bm25 mode finds keyword matches", () => {
  const hits = index().search({ text: "backup", mode: "bm25" });
  assert.deepEqual(ids(hits).sort(), [1, 3]);
  assert.ok(hits.every((h) => h.vectorRank === null && h.bm25Rank !== null));
  assert.equal(hits[0]!.score, 1 / 61);
  assert.deepEqual(index().search({ text: "NAS", mode: "bm25" }).map((h) => h.id).sort(), [1, 5]);
  assert.deepEqual(index().search({ text: "zeppelin" }), []);
});

Deno.test("HybridIndex.search() in vector mode finds the nearest vectors first", () => {
  const hits = index().search({ vector: [1, 0.05, 0, 0], mode: "vector", limit: 3 });
  assert.deepEqual(ids(hits), [1, 3, 5]);
  assert.deepEqual(hits.map((h) => h.vectorRank), [1, 2, 3]);
  assert.ok(hits.every((h) => h.bm25Rank === null));
});

Deno.test("HybridIndex.search() fuses both rankings by RRF, hybrid by default with a vector", () => {
  // BM25 for "nightly nas" ranks 1 then 5; the vector is nearest to 3, then 1.
  const hits = index().search({ text: "nightly nas", vector: [0.95, 0.1, 0, 0], limit: 5 });
  const one = hits.find((h) => h.id === 1)!;
  assert.equal(hits[0]!.id, 1, "in both rankings, so first");
  assert.equal(one.score, 1 / (60 + one.bm25Rank!) + 1 / (60 + one.vectorRank!));
  assert.ok(hits.some((h) => h.id === 2 && h.bm25Rank === null), "vector-only hits are kept");
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
});

Deno.test("HybridIndex.search() keeps BM25's hits first when the vector ranking is flat", () => {
  // Twelve items with one embedding: the vector ranking says nothing (ties by id), while
  // BM25 finds exactly items 11 and 12 (beyond the vector depth of 10). Plain RRF put vector
  // rank 1 (item 1) level with BM25 rank 1, and ahead of it on the id.
  const idx = new HybridIndex();
  idx.add(Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    text: i >= 10 ? `zeroconf discovery note ${i}` : `garden diary entry ${i}`,
    vector: [0.5, 0.5, 0.5, 0.5],
  })));
  const hits = idx.search({ text: "zeroconf", vector: [1, 0, 0, 0], limit: 4, depth: 10 });
  assert.deepEqual(ids(hits), [11, 12, 1, 2]);
});

Deno.test("HybridIndex.search() without a vector is BM25 only (no embedding model)", () => {
  const idx = new HybridIndex();
  idx.add(ITEMS.map((item) => ({ ...item, vector: null })));
  assert.equal(idx.dimensions, null);
  assert.equal(idx.vectorCount, 0);
  assert.deepEqual(ids(idx.search({ text: "backup snapshot" })), [3, 1]);
  assert.deepEqual(ids(idx.search({ text: "backup snapshot", mode: "hybrid" })), [3, 1]);
  assert.deepEqual(idx.search({ text: "backup", vector: [1, 0, 0, 0] }).length, 2);
});

Deno.test("HybridIndex.remove() really removes from both rankings", () => {
  const idx = index();
  assert.equal(idx.remove([3, 99]), 1);
  assert.equal(idx.size, 4);
  assert.equal(idx.vectorCount, 4);
  assert.equal(idx.has(3), false);
  assert.deepEqual(ids(idx.search({ text: "backup snapshot", mode: "bm25" })), [1]);
  assert.ok(!ids(idx.search({ vector: [0.9, 0.1, 0, 0], mode: "vector" })).includes(3));
  idx.add([ITEMS[2]!]);
  assert.deepEqual(ids(idx.search({ text: "snapshot" })), [3]);
});

Deno.test("HybridIndex.add() replaces an id already present", () => {
  const idx = index();
  idx.add([{ id: 1, text: "a recipe for rye crackers", vector: [0, 0, 0, 1] }]);
  assert.equal(idx.size, 5);
  assert.deepEqual(ids(idx.search({ text: "configure nightly" })), []);
  assert.deepEqual(ids(idx.search({ text: "rye" })), [1]);
  assert.equal(idx.search({ vector: [0, 0, 0, 1], mode: "vector", limit: 1 })[0]!.id, 1);
  idx.add([{ id: 1, text: "rye", vector: null }]);
  assert.equal(idx.vectorCount, 4);
});

Deno.test("HybridIndex.search() results are stable and ties go to the lower id", () => {
  const idx = new HybridIndex();
  idx.add([30, 10, 20].map((id) => ({ id, text: "same words here", vector: [1, 1] })));
  const first = idx.search({ text: "same words", vector: [1, 1] });
  assert.deepEqual(ids(first), [10, 20, 30]);
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(idx.search({ text: "same words", vector: [1, 1] }), first);
  }
});

Deno.test("HybridIndex rejects a vector of the wrong dimensions with invalid_input", () => {
  const idx = index();
  const bad = (e: unknown) =>
    isMycoError(e, "invalid_input") && /3 dimensions.*holds 4/.test(e.message);
  assert.throws(() => idx.add([{ id: 9, text: "x", vector: [1, 2, 3] }]), bad);
  assert.throws(() => idx.search({ text: "x", vector: [1, 2, 3] }), bad);
  assert.equal(idx.has(9), false);
  assert.throws(
    () => new HybridIndex({ dimensions: 2 }).add([{ id: 1, text: "x", vector: [1, 2, 3] }]),
    (e) => isMycoError(e, "invalid_input"),
  );
});

Deno.test("HybridIndex.add() checks the whole batch before changing anything", () => {
  const idx = index();
  const batch = [
    { id: 10, text: "good", vector: [1, 0, 0, 0] },
    { id: 11, text: "bad", vector: [Number.NaN, 0, 0, 0] },
  ];
  assert.throws(() => idx.add(batch), (e) => isMycoError(e, "invalid_input"));
  assert.throws(
    () => idx.add([{ id: 1.5, text: "x", vector: null }]),
    (e) => isMycoError(e, "invalid_input"),
  );
  assert.equal(idx.has(10), false);
  assert.equal(idx.size, 5);
});

Deno.test("HybridIndex.search() in vector mode without a vector is invalid_input", () => {
  assert.throws(
    () => index().search({ text: "x", mode: "vector" }),
    (e) => isMycoError(e, "invalid_input"),
  );
});

Deno.test("HybridIndex.search() rejects a limit or depth that is not a whole number, and keeps working", () => {
  const idx = index();
  for (const query of [{ limit: NaN }, { limit: 2.5 }, { depth: 200.5 }, { limit: Infinity }]) {
    assert.throws(
      () => idx.search({ text: "backup", ...query }),
      (e) => isMycoError(e) && e.code === "invalid_input" && /whole number/.test(e.message),
    );
  }
  assert.deepEqual(ids(idx.search({ text: "backup", mode: "bm25" })).sort(), [1, 3]);
});
