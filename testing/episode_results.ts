/** Episode results as a reflection returns them, for tests of what the end of a chat says. */

import type { EpisodeResult } from "../lib/memory/mod.ts";

/**
 * A stored reflection whose summary is `claims`, each grounded or not; a held-back claim's
 * reason names its last word ("We chose Zorblax." → "Zorblax never came up").
 */
export function episodeResult(
  id: number,
  claims: [string, boolean][],
  lessons: [string, boolean][] = [],
): EpisodeResult {
  const all = [
    ...claims.map(([text, grounded]) => ({ kind: "summary" as const, text, grounded })),
    ...lessons.map(([text, grounded]) => ({ kind: "lesson" as const, text, grounded })),
  ];
  const verdicts = all.map(({ kind, text, grounded }, position) => ({
    kind,
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
      lessons: lessons.map(([t]) => t),
      surprises: [],
      tone: "neutral",
    },
    grounding: verdicts.filter((c) => c.grounded).length / verdicts.length,
    indexed: verdicts.some((c) => c.grounded),
    plain: false,
    partial: false,
    claims: verdicts,
    cut: 0,
    summaryCut: false,
    groundedLessons: lessons.filter(([, g]) => g).map(([t]) => t),
  };
}
