import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import {
  boostUserDocuments,
  fusionWeights,
  headAgreement,
  headSharpness,
  LESSON_HALF_LIFE_DAYS,
  MIN_FUSION_WEIGHT,
  recencyDecay,
  reciprocalRankFusion,
  type ScoredRanking,
  trustWeightedFusion,
  USER_DOCUMENT_BOOST,
  weightedRankFusion,
} from "./ranking.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2025-06-30T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();

Deno.test("reciprocalRankFusion() fuses vector [a,b,c] and BM25 [b,d,a] with k = 60", () => {
  const scores = reciprocalRankFusion([["a", "b", "c"], ["b", "d", "a"]]);
  assert.deepEqual(
    scores,
    new Map([["a", 1 / 61 + 1 / 63], ["b", 1 / 62 + 1 / 61], ["c", 1 / 63], ["d", 1 / 62]]),
  );
  const order = [...scores].sort((x, y) => y[1] - x[1]).map(([id]) => id);
  assert.deepEqual(order, ["b", "a", "d", "c"]);
});

Deno.test("reciprocalRankFusion() gives an empty map for empty rankings", () => {
  assert.equal(reciprocalRankFusion([]).size, 0);
  assert.equal(reciprocalRankFusion([[], []]).size, 0);
});

Deno.test("reciprocalRankFusion() takes numeric ids, another k, and counts a repeat once", () => {
  assert.deepEqual(reciprocalRankFusion([[7, 9]], 0), new Map([[7, 1], [9, 1 / 2]]));
  assert.deepEqual(reciprocalRankFusion([[7, 7, 9]]), new Map([[7, 1 / 61], [9, 1 / 63]]));
  assert.deepEqual(reciprocalRankFusion([[5], []]), new Map([[5, 1 / 61]]));
});

Deno.test("reciprocalRankFusion() rejects a negative k", () => {
  assert.throws(() => reciprocalRankFusion([["a"]], -1), (e) => isMycoError(e, "invalid_input"));
});

Deno.test("recencyDecay() halves every 30 days and floors at 0.1", () => {
  assert.equal(recencyDecay(daysAgo(30), NOW), 0.5);
  assert.equal(recencyDecay(daysAgo(60), NOW), 0.25);
  assert.equal(recencyDecay(daysAgo(90), NOW), 0.125);
  assert.equal(recencyDecay(daysAgo(365), NOW), 0.1);
});

Deno.test("recencyDecay() gives 1.0 for today and for a future date", () => {
  assert.equal(recencyDecay(daysAgo(0), NOW), 1);
  assert.equal(recencyDecay("2025-06-30", NOW), 1);
  assert.equal(recencyDecay(daysAgo(-3), NOW), 1);
});

Deno.test("recencyDecay() gives 0.5 for a missing or unparseable date", () => {
  assert.equal(recencyDecay(null, NOW), 0.5);
  assert.equal(recencyDecay(undefined, NOW), 0.5);
  assert.equal(recencyDecay("", NOW), 0.5);
  assert.equal(recencyDecay("last tuesday", NOW), 0.5);
});

Deno.test("recencyDecay() with the lessons' 60-day half-life gives ≈0.7071 at 30 days", () => {
  assert.equal(LESSON_HALF_LIFE_DAYS, 60);
  const decay = recencyDecay(daysAgo(30), NOW, LESSON_HALF_LIFE_DAYS);
  assert.ok(Math.abs(decay - Math.SQRT1_2) < 1e-12, `${decay}`);
  assert.equal(recencyDecay(daysAgo(60), NOW, 60), 0.5);
});

Deno.test("recencyDecay() rejects a half-life that is not positive", () => {
  assert.throws(() => recencyDecay(daysAgo(1), NOW, 0), (e) => isMycoError(e, "invalid_input"));
});

Deno.test("boostUserDocuments() doubles user documents and re-sorts", () => {
  assert.equal(USER_DOCUMENT_BOOST, 2);
  const hits = [
    { id: 1, source: "session", score: 0.03 },
    { id: 2, source: "document", score: 0.02 },
    { id: 3, source: "session", score: 0.01 },
  ];
  assert.deepEqual(boostUserDocuments(hits), [
    { id: 2, source: "document", score: 0.04 },
    { id: 1, source: "session", score: 0.03 },
    { id: 3, source: "session", score: 0.01 },
  ]);
  assert.equal(hits[1]!.score, 0.02, "the input is not modified");
});

/** A ranking of `ids` with the given scores. */
const ranking = (ids: string[], scores: number[]): ScoredRanking<string> => ({ ids, scores });
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const order = (scores: Map<string, number>) =>
  [...scores].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
/** 30 scores falling linearly from 10 to 1: a ranking with no head to speak of. */
const linear = Array.from({ length: 30 }, (_, i) => 10 - (9 * i) / 29);

Deno.test("weightedRankFusion() scores weight / (k + rank); weights 1 are plain RRF", () => {
  const plain = reciprocalRankFusion([["a", "b"], ["b", "c"]]);
  assert.deepEqual(
    weightedRankFusion([{ ids: ["a", "b"], weight: 1 }, { ids: ["b", "c"], weight: 1 }]),
    plain,
  );
  const half = weightedRankFusion([{ ids: ["a", "b"], weight: 1 }, { ids: ["b"], weight: 0.5 }]);
  assert.deepEqual(half, new Map([["a", 1 / 61], ["b", 1 / 62 + 0.5 / 61]]));
  assert.throws(() => weightedRankFusion([{ ids: ["a"], weight: -1 }]), isMycoError);
});

Deno.test("headSharpness() is 0 for a flat ranking and near 1 for a standout head", () => {
  assert.equal(headSharpness(Array(30).fill(0.5)), 0);
  assert.ok(headSharpness(linear) < 0.35);
  assert.ok(headSharpness([9, 8, 7, 6, 5, 4, 3, 2, 1.5, 1.2, ...Array(20).fill(1)]) > 0.9);
  assert.equal(headSharpness([3, 2]), 1, "a ranking within its head: the rest scored nothing");
});

Deno.test("headAgreement() is the share of the shorter head both rankings hold", () => {
  assert.equal(headAgreement(ids("a", 20), ids("a", 20)), 1);
  assert.equal(headAgreement(ids("a", 20), ids("b", 20)), 0);
  assert.equal(headAgreement(["a0", "x", "y"], ids("a", 20)), 1 / 3);
  assert.equal(headAgreement([], ids("a", 5)), 1, "nothing to disagree with");
});

Deno.test("trustWeightedFusion() of agreeing rankings is plain RRF (k = 60)", () => {
  const a = ranking(ids("d", 30), linear);
  const b = ranking(["d1", "d0", ...ids("d", 30).slice(2)], Array(30).fill(0.5));
  const fused = trustWeightedFusion(a, b);
  assert.deepEqual(fused.weights, { bm25: 1, vector: 1 });
  assert.deepEqual(fused.scores, reciprocalRankFusion([a.ids, b.ids]));
});

Deno.test("trustWeightedFusion() keeps BM25's order against a flat, unrelated vector ranking", () => {
  const bm25 = ranking(ids("k", 30), linear);
  const flat = ranking(ids("v", 30), Array(30).fill(0.42));
  const fused = trustWeightedFusion(bm25, flat);
  assert.deepEqual(fused.weights, { bm25: 1, vector: MIN_FUSION_WEIGHT });
  const top = order(fused.scores);
  assert.deepEqual(top.slice(0, 30), bm25.ids, "every BM25 hit first, in BM25's order");
  assert.deepEqual(top.slice(30), flat.ids, "the vector's hits after, in its order");
  // Plain RRF interleaves them: the vector's first hit ties BM25's first.
  assert.equal(order(reciprocalRankFusion([bm25.ids, flat.ids]))[1], "v0");
});

Deno.test("trustWeightedFusion() lifts a confident vector ranking over a weak BM25 one", () => {
  // Every hit matched the same common word alike: BM25's head says nothing.
  const weak = ranking(ids("k", 30), [...Array(29).fill(2), 1.9]);
  const sharp = ranking(ids("v", 30), [0.9, 0.85, 0.8, ...Array(27).fill(0.2)]);
  const fused = trustWeightedFusion(weak, sharp);
  assert.equal(fused.weights.vector, 1);
  assert.ok(fused.weights.bm25 < 0.5, `BM25 weight ${fused.weights.bm25}`);
  assert.deepEqual(order(fused.scores).slice(0, 3), ["v0", "v1", "v2"]);
});

Deno.test("fusionWeights() trusts an unconfirmed vector ranking only when clearly sharper", () => {
  const bm25 = ranking(ids("k", 30), linear); // sharpness 0.31
  const sameSharpness = ranking(ids("v", 30), linear);
  assert.deepEqual(fusionWeights(bm25, sameSharpness), { bm25: 1, vector: MIN_FUSION_WEIGHT });
  const halfShared = ranking(["k0", "k1", "k2", "k3", "k4", ...ids("v", 25)], linear);
  assert.deepEqual(fusionWeights(bm25, halfShared), { bm25: 1, vector: 0.5 });
});

Deno.test("fusionWeights(): heads agreeing on less than half lend the vector ranking no weight", () => {
  // BM25 falls steadily; the vector ranking is flat and holds 4 of BM25's top 10 (0.4) at
  // ranks where, weighted by that agreement, id 2 (BM25 2nd, vector 1st) would pass id 1.
  const bm25 = { ids: range(1, 30), scores: range(1, 30).map((i) => 31 - i) };
  const vectorIds = [2, 100, 101, 3, 102, 103, 4, 104, 5, 105, ...range(200, 220)];
  const vector = { ids: vectorIds, scores: vectorIds.map(() => 0.5) };
  assert.equal(headAgreement(bm25.ids, vector.ids), 0.4);
  const { scores, weights } = trustWeightedFusion(bm25, vector);
  assert.equal(weights.vector, MIN_FUSION_WEIGHT);
  assert.equal(weights.bm25, 1);
  const best = [...scores].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  assert.deepEqual(best.slice(0, 3), [1, 2, 3], "BM25's order is kept");
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
