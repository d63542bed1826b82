import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { CHUNK_OVERLAP, CHUNK_WORDS, chunkDocument, chunkWords } from "./chunk_text.ts";

/** "w1 w2 … wN" */
function words(n: number, prefix = "w"): string {
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join(" ");
}

Deno.test("CHUNK_WORDS and CHUNK_OVERLAP are 384 and 38", () => {
  assert.equal(CHUNK_WORDS, 384);
  assert.equal(CHUNK_OVERLAP, 38);
});

Deno.test("chunkWords() cuts 60 words into 3 chunks of size 30 sharing 10 words", () => {
  const chunks = chunkWords(words(60), { size: 30, overlap: 10 });
  assert.deepEqual(chunks, [
    words(30),
    words(50).split(" ").slice(20).join(" "),
    words(60).split(" ").slice(40).join(" "),
  ]);
  for (let i = 1; i < chunks.length; i++) {
    const before = chunks[i - 1]!.split(" ");
    const after = chunks[i]!.split(" ");
    assert.deepEqual(before.slice(-10), after.slice(0, 10));
  }
});

Deno.test("chunkWords() gives one chunk for a text of exactly size words", () => {
  assert.deepEqual(chunkWords(words(30), { size: 30, overlap: 10 }), [words(30)]);
  assert.equal(chunkWords(words(384)).length, 1);
  assert.equal(chunkWords(words(385)).length, 2);
});

Deno.test("chunkWords() gives nothing for an empty or blank text", () => {
  assert.deepEqual(chunkWords(""), []);
  assert.deepEqual(chunkWords(" \n\t "), []);
});

Deno.test("chunkWords() never ends with a chunk contained in the one before", () => {
  for (let n = 1; n <= 120; n++) {
    const chunks = chunkWords(words(n), { size: 30, overlap: 10 });
    const last = chunks.at(-1)!.split(" ");
    assert.equal(last.at(-1), `w${n}`, `n = ${n}`);
    if (chunks.length > 1) {
      const before = chunks.at(-2)!.split(" ");
      assert.ok(last.length > 10, `n = ${n}: last chunk adds words`);
      assert.notEqual(before.at(-1), `w${n}`, `n = ${n}: only the last chunk reaches the end`);
    }
  }
});

Deno.test("chunkWords() uses 384-word chunks with 38 words of overlap by default", () => {
  const chunks = chunkWords(words(1000));
  assert.equal(chunks.length, 3); // starts at 0, 346, 692
  assert.equal(chunks[0]!.split(" ").length, 384);
  assert.equal(chunks[1]!.split(" ")[0], "w347");
  assert.equal(chunks[2]!.split(" ")[0], "w693");
  assert.equal(chunks[2]!.split(" ").at(-1), "w1000");
});

Deno.test("chunkWords() keeps the text's own line breaks and spacing inside a chunk", () => {
  const text = "def f():\n    return 1\n\nprint(f())";
  assert.deepEqual(chunkWords(text, { size: 3, overlap: 1 }), [
    "def f():\n    return",
    "return 1\n\nprint(f())",
  ]);
});

Deno.test("chunkWords() counts CJK characters as words and cuts very long tokens", () => {
  assert.deepEqual(chunkWords("菌糸体のネットワーク", { size: 5, overlap: 0 }), [
    "菌糸体のネ",
    "ットワーク",
  ]);
  const blob = "x".repeat(200);
  assert.equal(chunkWords(blob, { size: 1, overlap: 0 }).length, 4);
});

Deno.test("chunkWords() rejects an overlap not smaller than the size", () => {
  assert.throws(
    () => chunkWords("a b", { size: 10, overlap: 10 }),
    (e) => isMycoError(e, "invalid_input"),
  );
  assert.throws(
    () => chunkWords("a b", { size: 0, overlap: 0 }),
    (e) => isMycoError(e, "invalid_input"),
  );
  assert.throws(
    () => chunkWords("a b", { size: 5, overlap: -1 }),
    (e) => isMycoError(e, "invalid_input"),
  );
});

Deno.test("chunkDocument() chunks sections apart and numbers chunks across the document", () => {
  const chunks = chunkDocument({
    docType: "markdown",
    title: "Doc",
    sections: [
      { title: null, text: words(5, "a") },
      { title: "One", text: words(50, "b") },
      { title: "Two", text: words(3, "c") },
    ],
  }, { size: 30, overlap: 10 });
  assert.deepEqual(chunks.map((c) => [c.position, c.section, c.text.split(" ")[0]]), [
    [0, null, "a1"],
    [1, "One", "b1"],
    [2, "One", "b21"],
    [3, "Two", "c1"],
  ]);
  // Never merged: the short first section is a chunk of its own.
  assert.equal(chunks[0]!.text, words(5, "a"));
});

Deno.test("chunkDocument() gives nothing for a document without text", () => {
  assert.deepEqual(chunkDocument({ docType: "text", title: "t", sections: [] }), []);
});
