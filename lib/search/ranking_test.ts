import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import {
  boostUserDocuments,
  LESSON_HALF_LIFE_DAYS,
  recencyDecay,
  reciprocalRankFusion,
  USER_DOCUMENT_BOOST,
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
