import assert from "node:assert/strict";
import { isMycoError, seededRandom as mulberry32 } from "../core/mod.ts";
import { VectorStore, type VectorStoreData } from "./_vector_store.ts";

const DIMS = 64;

function vectors(count: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  // Clustered like embeddings: 40 centres, each vector a centre plus noise.
  const centres = Array.from(
    { length: 40 },
    () => Array.from({ length: DIMS }, () => random() - 0.5),
  );
  return Array.from({ length: count }, () => {
    const c = centres[Math.floor(random() * centres.length)]!;
    return Float32Array.from(c, (x) => x + (random() - 0.5) * 0.6);
  });
}

function exactTop(all: Float32Array[], q: Float32Array, k: number): number[] {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const cos = (v: Float32Array) => v.reduce((s, x, i) => s + x * q[i]!, 0) / norm(v) / norm(q);
  return all.map((v, i) => ({ id: i + 1, s: cos(v) })).sort((a, b) => b.s - a.s).slice(0, k)
    .map((h) => h.id);
}

Deno.test("VectorStore.search() two-stage recall@10 vs exact search is ≥ 0.95", () => {
  const all = vectors(6000, 1);
  const store = new VectorStore(DIMS);
  all.forEach((v, i) => store.set(i + 1, v));
  let found = 0;
  const queries = vectors(30, 2);
  for (const q of queries) {
    const truth = new Set(exactTop(all, q, 10));
    found += store.search(q, 10).filter((h) => truth.has(h.id)).length;
  }
  assert.ok(found / (queries.length * 10) >= 0.95, `recall ${found / 300}`);
});

Deno.test("VectorStore scores cosine similarity, whatever the vectors' lengths", () => {
  const store = new VectorStore(3);
  store.set(1, [3, 0, 0]);
  store.set(2, [0, 0.1, 0]);
  store.set(3, [1, 1, 0]);
  const hits = store.search([10, 0, 0], 3);
  assert.deepEqual(hits.map((h) => h.id), [1, 3, 2]);
  assert.ok(Math.abs(hits[0]!.score - 1) < 0.01);
  assert.ok(Math.abs(hits[1]!.score - Math.SQRT1_2) < 0.01);
  assert.ok(Math.abs(hits[2]!.score) < 0.01);
});

Deno.test("VectorStore.delete() swap-removes and keeps every other vector findable", () => {
  const all = vectors(3000, 5);
  const store = new VectorStore(DIMS);
  all.forEach((v, i) => store.set(i + 1, v));
  for (let id = 1; id <= 3000; id += 3) assert.ok(store.delete(id));
  assert.equal(store.delete(1), false);
  assert.equal(store.size, 2000);
  for (const id of [2, 3, 1500, 2999, 3000]) {
    const own = store.search(all[id - 1]!, 1)[0]!;
    assert.equal(own.id, id, `vector ${id} finds itself`);
  }
  assert.ok(!store.search(all[0]!, 50).some((h) => (h.id - 1) % 3 === 0));
});

/** A store's arrays copied, as a snapshot read gives them back. */
function copied(store: VectorStore): VectorStoreData {
  const d = store.data();
  return {
    ...d,
    ids: d.ids.slice(),
    scales: d.scales.slice(),
    rows: d.rows.slice(),
    sketches: d.sketches.slice(),
  };
}

Deno.test("VectorStore grows past its capacity and round-trips through data()", () => {
  const store = new VectorStore(DIMS, 1);
  const all = vectors(3000, 9);
  all.forEach((v, i) => store.set(i + 1, v));
  const data = copied(store);
  const restored = VectorStore.fromData(data);
  const q = all[1234]!;
  assert.deepEqual(restored.search(q, 10), store.search(q, 10));
  assert.equal(restored.search(q, 1)[0]!.id, 1235);
  // Kept in place, sketches included: nothing copied or recomputed.
  const kept = restored.data();
  for (const key of ["ids", "scales", "rows", "sketches"] as const) {
    assert.equal(kept[key].buffer, data[key].buffer, key);
  }
  // And still a store: a delete, then a new vector that moves it to buffers of its own.
  assert.ok(restored.delete(1235));
  restored.set(9998, all[0]!);
  restored.set(9999, all[1234]!);
  assert.equal(restored.search(q, 1)[0]!.id, 9999);
  assert.ok(restored.data().rows.buffer !== data.rows.buffer, "grown into its own buffer");
  assert.equal(restored.size, 3001);
});

Deno.test("VectorStore.fromData() rejects arrays that disagree and repeated ids", () => {
  const store = new VectorStore(DIMS);
  vectors(10, 4).forEach((v, i) => store.set(i + 1, v));
  const bad = (data: VectorStoreData) =>
    assert.throws(() => VectorStore.fromData(data), (e) => isMycoError(e, "invalid_input"));
  const data = copied(store);
  bad({ ...data, rows: data.rows.subarray(DIMS) });
  bad({ ...data, sketches: data.sketches.subarray(1) });
  bad({ ...data, scales: data.scales.subarray(1) });
  const ids = data.ids.slice();
  ids[3] = ids[2]!;
  bad({ ...data, ids });
  ids[3] = 0.5;
  bad({ ...data, ids });
});

Deno.test("VectorStore rejects wrong dimensions and non-finite values", () => {
  const store = new VectorStore(4);
  assert.throws(() => store.set(1, [1, 2]), (e) => isMycoError(e, "invalid_input"));
  assert.throws(() => store.search([1, 2, 3, Infinity], 1), (e) => isMycoError(e, "invalid_input"));
  assert.throws(() => new VectorStore(0), (e) => isMycoError(e, "invalid_input"));
});

Deno.test("VectorStore.search() takes a limit past its size or fractional", () => {
  const store = new VectorStore(2);
  store.set(1, [1, 0]);
  store.set(2, [0, 1]);
  for (const limit of [Infinity, 1e9, 200.5]) {
    assert.deepEqual(store.search([1, 0.1], limit).map((h) => h.id), [1, 2], `limit ${limit}`);
  }
});

Deno.test("VectorStore scores vectors with huge or tiny finite components like any other", () => {
  const store = new VectorStore(3);
  store.set(1, [1e200, 1e200, 0]); // squares overflow float64
  store.set(2, [0, 1e39, 0]); // beyond float32
  store.set(3, [1e-320, 0, 0]); // squares underflow to 0
  store.set(4, [0, 0, 1]);
  for (
    const [query, best] of [[[1, 1, 0], 1], [[0, 1, 0], 2], [[1, 0, 0], 3], [
      [0, 0, 1e300],
      4,
    ]] as const
  ) {
    const hits = store.search(query, 4);
    assert.ok(hits.every((h) => Number.isFinite(h.score)), JSON.stringify(hits));
    assert.equal(hits[0]!.id, best, JSON.stringify(query));
    assert.ok(Math.abs(hits[0]!.score - 1) < 0.01);
  }
});
