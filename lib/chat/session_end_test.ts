import assert from "node:assert/strict";
import { episodeResult } from "../../testing/episode_results.ts";
import { describeSessionEnd } from "./session_end.ts";

Deno.test("describeSessionEnd() of a session reflected in parts names every part's held-back claims", () => {
  const first = episodeResult(1, [["We chose Zorblax.", false], ["We kept Postgres.", true]]);
  const last = episodeResult(2, [["We tuned Postgres.", true], ["We added Redis.", true]]);
  const text = describeSessionEnd({ episode: last, procedures: [], parts: [first, last], from: 0 });
  assert.match(text, /^done\. \(grounding: 75%\)/, "the share of all the session's claims");
  assert.match(text, /not recalled: "We chose Zorblax\." — Zorblax never came up/);
});
