import assert from "node:assert/strict";
import type { EpisodeResult } from "../memory/mod.ts";
import { describeSessionEnd } from "./session_end.ts";

function part(id: number, claims: [string, boolean][]): EpisodeResult {
  const verdicts = claims.map(([text, grounded], position) => ({
    kind: "summary" as const,
    position,
    text,
    grounded,
    checked: true,
    reason: grounded ? "" : `${text.split(" ").at(-1)!.replace(".", "")} never came up`,
    missing: [],
    quarantined: false,
  }));
  return {
    ok: true,
    episodeId: id,
    reflection: {
      summary: claims.map(([t]) => t).join(" "),
      decisions: [],
      lessons: [],
      surprises: [],
      tone: "neutral",
    },
    grounding: verdicts.filter((c) => c.grounded).length / verdicts.length,
    indexed: true,
    plain: false,
    partial: false,
    claims: verdicts,
    cut: 0,
    summaryCut: false,
    groundedLessons: [],
  };
}

Deno.test("describeSessionEnd() of a session reflected in parts names every part's held-back claims", () => {
  const first = part(1, [["We chose Zorblax.", false], ["We kept Postgres.", true]]);
  const last = part(2, [["We tuned Postgres.", true], ["We added Redis.", true]]);
  const text = describeSessionEnd({ episode: last, procedures: [], parts: [first, last], from: 0 });
  assert.match(text, /^done\. \(grounding: 75%\)/, "the share of all the session's claims");
  assert.match(text, /not recalled: "We chose Zorblax\." — Zorblax never came up/);
});
