import assert from "node:assert/strict";
import { episodeResult } from "../../testing/episode_results.ts";
import { endReport } from "./_conversation_replies.ts";

Deno.test("endReport() reports only grounded lessons, and the grounding of every part", () => {
  const first = episodeResult(1, [["We chose Zorblax.", false]], [["Test the Zorblax.", false]]);
  const last = episodeResult(2, [["We tuned Postgres.", true]], [
    ["Vacuum Postgres.", true],
    ["Buy a Quux.", false],
  ]);
  const report = endReport("s", { episode: last, procedures: [], parts: [first, last], from: 0 });
  assert.deepEqual(report.lessons, ["Vacuum Postgres."], "a held-back lesson is not taught");
  assert.equal(report.grounding, 0.4, "2 of the 5 claims");
});
