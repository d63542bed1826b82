import assert from "node:assert/strict";
import {
  MAX_PROCEDURE_CANDIDATES,
  problemWords,
  procedureFromLesson,
  proposeProcedures,
} from "./procedure_candidates.ts";

Deno.test("procedureFromLesson() reads 'when X, Y' and 'if X then Y'", () => {
  assert.deepEqual(procedureFromLesson("When Ollama hangs, restart it with `ollama serve`."), {
    problem: "Ollama hangs",
    solution: "restart it with `ollama serve`.",
  });
  assert.deepEqual(procedureFromLesson("If the build fails on CI, clear the cache, then rerun"), {
    problem: "the build fails on CI",
    solution: "clear the cache, then rerun",
  });
  assert.deepEqual(procedureFromLesson("if a port is busy then pick another one"), {
    problem: "a port is busy",
    solution: "pick another one",
  });
});

Deno.test("procedureFromLesson() reads 'to X, Y', 'X → Y' and 'X: Y'", () => {
  assert.deepEqual(procedureFromLesson("To speed up embeddings, batch 32 texts per call."), {
    problem: "speed up embeddings",
    solution: "batch 32 texts per call.",
  });
  assert.deepEqual(procedureFromLesson("slow PDF parsing -> use the text layer"), {
    problem: "slow PDF parsing",
    solution: "use the text layer",
  });
  assert.deepEqual(procedureFromLesson("- Lesson: Stale search index: run library reindex"), {
    problem: "Stale search index",
    solution: "run library reindex",
  });
});

Deno.test("procedureFromLesson() skips lessons of other shapes", () => {
  assert.equal(procedureFromLesson("Tests matter."), null);
  assert.equal(procedureFromLesson("Meeting moved to 10:30 tomorrow"), null);
  assert.equal(procedureFromLesson("Important: always back up"), null);
  assert.equal(procedureFromLesson("See https://example.com for details"), null);
  assert.equal(procedureFromLesson("When in doubt, ok"), null);
});

Deno.test("problemWords() keeps lowercased words of 3+ letters", () => {
  assert.deepEqual(problemWords("The GPU is at 99% on a 4090"), new Set(["the", "gpu", "4090"]));
});

Deno.test("proposeProcedures() merges near duplicates among themselves (Jaccard ≥ 0.6)", () => {
  const proposed = proposeProcedures([
    "When the Ollama server hangs, restart it.",
    "If the Ollama server hangs, kill the process.", // same words: merged into the first
    "When the Ollama server hangs again, check memory.", // 4 of 5 words shared: 0.8
  ], []);
  assert.deepEqual(proposed, [{ problem: "the Ollama server hangs", solution: "restart it." }]);
});

Deno.test("proposeProcedures() skips problems already stored", () => {
  const existing = [{ problem: "Ollama server hangs" }];
  const proposed = proposeProcedures([
    "When the Ollama server hangs, restart it.", // 3 of 4 words: 0.75 → duplicate
    "When the Ollama model is missing, pull it first.", // 1 shared word of 6: kept
  ], existing);
  assert.deepEqual(proposed, [{
    problem: "the Ollama model is missing",
    solution: "pull it first.",
  }]);
});

Deno.test("proposeProcedures() proposes at most 3", () => {
  const lessons = [
    "When builds fail, clear the cache.",
    "Tests matter.",
    "If ports clash, pick another port.",
    "To debug imports, run deno info.",
    "When disks fill up, prune old snapshots.",
  ];
  const proposed = proposeProcedures(lessons, []);
  assert.equal(MAX_PROCEDURE_CANDIDATES, 3);
  assert.deepEqual(proposed.map((p) => p.problem), ["builds fail", "ports clash", "debug imports"]);
  assert.deepEqual(proposeProcedures([], []), []);
});
