import assert from "node:assert/strict";
import { isMycoError, seededRandom } from "../core/mod.ts";
import { TextIndex } from "./_text_index.ts";

const ids = (hits: { id: number }[]) => hits.map((h) => h.id);

function indexOf(docs: Record<number, string>): TextIndex {
  const index = TextIndex.create();
  for (const [id, text] of Object.entries(docs)) index.add(Number(id), text);
  return index;
}

// Three documents, lengths 3, 2 and 4 tokens: N = 3, avgdl = (3 + 2 + 4) / 3 = 3.
// k1 = 1.2, b = 0.75; a document's norm is k1·(1 − b + b·dl/avgdl):
//   dl 3 → 1.2·(0.25 + 0.75) = 1.2;  dl 2 → 1.2·(0.25 + 0.5) = 0.9;  dl 4 → 1.2·(0.25 + 1) = 1.5.
const THREE = { 1: "cat cat dog", 2: "cat fish", 3: "dog fish bird bird" };
// "cat" and "fish" are in 2 of 3 documents: idf = ln(1 + (3 − 2 + 0.5)/(2 + 0.5)) = ln 1.6
//   = 0.4700036292; "bird" in 1: idf = ln(1 + 2.5/1.5) = ln(8/3) = 0.9808292530.
const IDF2 = Math.log(1.6), IDF1 = Math.log(8 / 3);

function assertScores(actual: { id: number; score: number }[], expected: [number, number][]) {
  assert.deepEqual(ids(actual), expected.map(([id]) => id));
  actual.forEach((hit, i) => assert.ok(Math.abs(hit.score - expected[i]![1]) < 1e-12));
}

Deno.test("TextIndex scores Okapi BM25: term frequency counts (hand-computed)", () => {
  // doc 1: tf 2, dl 3 → idf·2·2.2/(2 + 1.2) = idf·1.375 = 0.6462549902
  // doc 2: tf 1, dl 2 → idf·1·2.2/(1 + 0.9) = idf·1.1578947368 = 0.5442147286
  // So the longer document wins on its second "cat".
  assertScores(TextIndex.create().search("cat", 10), []);
  assertScores(indexOf(THREE).search("cat", 10), [[1, IDF2 * 1.375], [2, IDF2 * 2.2 / 1.9]]);
  assert.ok(Math.abs(IDF2 * 1.375 - 0.6462549902) < 1e-9);
  // doc 3: tf 2, dl 4 → ln(8/3)·4.4/(2 + 1.5) = 0.9808292530·1.2571428571 = 1.2330424895
  assert.ok(Math.abs(IDF1 * 4.4 / 3.5 - 1.2330424895) < 1e-9);
  assertScores(indexOf(THREE).search("bird", 10), [[3, IDF1 * 4.4 / 3.5]]);
});

Deno.test("TextIndex scores Okapi BM25: length normalisation and summed terms (hand-computed)", () => {
  // "fish", tf 1 in both: doc 2 (dl 2) idf·2.2/1.9 = 0.5442147286 beats doc 3 (dl 4)
  // idf·2.2/(1 + 1.5) = idf·0.88 = 0.4136031937.
  const fish2 = IDF2 * 2.2 / 1.9, fish3 = IDF2 * 0.88;
  assert.ok(Math.abs(fish3 - 0.4136031937) < 1e-9);
  assertScores(indexOf(THREE).search("fish", 10), [[2, fish2], [3, fish3]]);
  // "cat fish" sums per term: doc 2 has both, 2 × 0.5442147286 = 1.0884294572.
  assertScores(indexOf(THREE).search("cat fish", 10), [
    [2, 2 * fish2],
    [1, IDF2 * 1.375],
    [3, fish3],
  ]);
  // A repeated query word counts once.
  assertScores(indexOf(THREE).search("fish fish", 10), [[2, fish2], [3, fish3]]);
});

Deno.test("TextIndex stems, so 'backups' finds 'backup' and back", () => {
  const index = indexOf({ 1: "the nightly backup", 2: "sourdough starter" });
  assert.deepEqual(ids(index.search("backups", 10)), [1]);
  assert.deepEqual(ids(indexOf({ 1: "Backups run nightly" }).search("backup", 10)), [1]);
});

Deno.test("TextIndex ranks an exact identifier above its parts", () => {
  const index = indexOf({
    1: "The directories exist, so it is ok to overwrite them.",
    2: "Pass dirs_exist_ok=True to shutil.copytree to copy into an existing folder.",
    3: "Gather the results of every task, then gather again.",
    4: "Use asyncio.gather to run coroutines concurrently.",
  });
  assert.equal(index.search("dirs_exist_ok", 10)[0]!.id, 2);
  assert.deepEqual(ids(index.search("asyncio.gather", 10)), [4, 3]);
  // The parts still find the identifier.
  assert.ok(ids(index.search("copytree", 10)).includes(2));
});

Deno.test("TextIndex breaks ties to the lower id, at the limit too", () => {
  const index = indexOf({ 9: "nas backup", 3: "nas backup", 7: "nas backup" });
  assert.deepEqual(ids(index.search("nas", 10)), [3, 7, 9]);
  assert.deepEqual(ids(index.search("nas", 2)), [3, 7]);
  assert.deepEqual(index.search("nas", 0), []);
  assert.deepEqual(index.search("   ", 5), []);
});

Deno.test("TextIndex.remove() leaves the scores of an index built without the document", () => {
  const index = indexOf(THREE);
  assert.equal(index.remove(1), true);
  assert.equal(index.remove(1), false);
  assert.equal(index.has(1), false);
  assert.equal(index.size, 2);
  const fresh = indexOf({ 2: THREE[2], 3: THREE[3] });
  for (const q of ["cat", "fish", "dog bird"]) {
    assert.deepEqual(index.search(q, 10), fresh.search(q, 10));
  }
  index.add(1, "dog");
  assert.deepEqual(ids(index.search("dog", 10)), [1, 3]);
  assert.throws(() => index.add(1, "again"), (e) => isMycoError(e) && e.code === "internal");
});

/** Texts over a small vocabulary, so documents share terms. */
function texts(count: number, seed: number): string[] {
  const words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo".split(" ");
  const random = seededRandom(seed);
  return Array.from(
    { length: count },
    () => Array.from({ length: 30 }, () => words[Math.floor(random() * words.length)]).join(" "),
  );
}

Deno.test("TextIndex compacts after many removals and still scores as a fresh index", () => {
  const index = TextIndex.create();
  const all = texts(3000, 5);
  // Enough churn to pass the compaction threshold several times over.
  for (let round = 0; round < 4; round++) {
    all.forEach((text, i) => index.add(i + 1, text));
    all.forEach((_, i) => i % 3 === 0 || index.remove(i + 1));
    all.forEach((_, i) => i % 3 === 0 && index.remove(i + 1));
  }
  all.slice(0, 500).forEach((text, i) => index.add(i + 1, text));
  index.remove(7);
  const fresh = TextIndex.create();
  all.slice(0, 500).forEach((text, i) => i + 1 === 7 || fresh.add(i + 1, text));
  assert.equal(index.size, 499);
  for (const q of ["alpha", "golf kilo", "juliet echo bravo"]) {
    assert.deepEqual(index.search(q, 20), fresh.search(q, 20));
  }
});

Deno.test("TextIndex.fromSections() restores the same index, which stays live", () => {
  const index = indexOf(Object.fromEntries(texts(200, 9).map((t, i) => [i + 1, t])));
  index.remove(4);
  const copies = index.toSections().map((s) => s.slice());
  const loaded = TextIndex.fromSections(copies);
  assert.equal(loaded.size, 199);
  assert.equal(loaded.has(4), false);
  for (const q of ["alpha", "hotel india"]) {
    assert.deepEqual(loaded.search(q, 50), index.search(q, 50));
  }
  loaded.add(4, "zulu zulu");
  loaded.remove(5);
  assert.deepEqual(ids(loaded.search("zulu", 5)), [4]);
  assert.equal(loaded.has(5), false);
  assert.equal(TextIndex.fromSections(TextIndex.create().toSections()).size, 0);
});

Deno.test("TextIndex.fromSections() throws on sections that do not fit together", () => {
  const sections = indexOf(THREE).toSections();
  const bad = (s: Uint8Array[]) =>
    assert.throws(() => TextIndex.fromSections(s), /text index snapshot is inconsistent/);
  bad(sections.slice(1));
  bad(sections.map((s, i) => i === 3 ? s.subarray(4) : s));
  const docs = sections.map((s) => s.slice());
  new Uint32Array(docs[3]!.buffer)[0] = 99; // a posting of a document that does not exist
  bad(docs);
});

Deno.test("TextIndex saturates a term's count at 65,535 (Uint16) but keeps the full length", () => {
  const index = indexOf({ 1: "zebra ".repeat(70_000), 2: "zebra" });
  // N = 2, df = 2: idf = ln(1 + 0.5/2.5) = ln 1.2; avgdl = 70,001 / 2; doc 1 counts tf 65,535.
  const norm = 1.2 * (0.25 + 0.75 * 70_000 / (70_001 / 2));
  const expected = Math.log(1.2) * 65_535 * 2.2 / (65_535 + norm);
  assert.ok(Math.abs(index.search("zebra", 1)[0]!.score - expected) < 1e-12);
});

Deno.test("TextIndex.search() takes a limit past its size or fractional, and a failed search leaves the next one whole", () => {
  const index = TextIndex.create();
  index.add(1, "backup schedule");
  index.add(2, "backup restore");
  for (const limit of [Infinity, 1e9, 200.5]) {
    assert.deepEqual(index.search("backup", limit).map((h) => h.id), [1, 2], `limit ${limit}`);
  }
  assert.deepEqual(index.search("backup", 1.5).map((h) => h.id), [1]);
});
