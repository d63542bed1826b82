import assert from "node:assert/strict";
import { isSentenceOpener, round4, splitSentences, stripWord } from "./grounding.ts";

// The whole-session scores (mycoSwarm's term score, claim share × 0.5) these tests pinned are
// replaced by claim-level verdicts: see claim_grounding_test.ts, where the same "9 true + 1
// invented" reflection now scores 0.9 with the invented claim held back instead of 0.45.

Deno.test("splitSentences() splits sentences and list items", () => {
  const text = "Set up Deno 2.1. Tests pass!\n- First item\n2) Second item. e.g. this stays";
  assert.deepEqual(splitSentences(text), [
    "Set up Deno 2.1.",
    "Tests pass!",
    "First item",
    "Second item. e.g. this stays",
  ]);
});

Deno.test("isSentenceOpener() knows grammar from names", () => {
  for (const word of ["The", "User", "Discussed", "Built", "Kept", "Decided"]) {
    assert.equal(isSentenceOpener(word), true, word);
  }
  for (const word of ["Kubernetes", "Zorblax", "Python"]) {
    assert.equal(isSentenceOpener(word), false);
  }
});

Deno.test("stripWord() drops edge punctuation and a possessive; round4() rounds", () => {
  assert.equal(stripWord("“Deno's”,"), "Deno");
  assert.equal(round4(2 / 3), 0.6667);
});

Deno.test("splitSentences() does not split after e.g., i.e. or Dr.", () => {
  assert.deepEqual(
    splitSentences("We use a cache, e.g. Redis, for sessions. Dr. Smith reviewed the plan."),
    ["We use a cache, e.g. Redis, for sessions.", "Dr. Smith reviewed the plan."],
  );
  assert.deepEqual(splitSentences("Backups run at 02:00. They go to Backblaze."), [
    "Backups run at 02:00.",
    "They go to Backblaze.",
  ]);
});

Deno.test("splitSentences() splits Chinese and Japanese after 。！？ without a space", () => {
  assert.deepEqual(splitSentences("备份保存到外部硬盘。备份保存到云端服务器！"), [
    "备份保存到外部硬盘。",
    "备份保存到云端服务器！",
  ]);
});
