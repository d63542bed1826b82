import assert from "node:assert/strict";
import { boostUserDocuments } from "../search/mod.ts";
import {
  type EpisodeCandidate,
  episodeScore,
  findContradictions,
  findPoisonLoops,
} from "./self_correction.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-02T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString();

const episode = (id: number, grounding: number, text: string): EpisodeCandidate => ({
  id,
  text,
  grounding,
  date: null,
  score: 0,
});

Deno.test("episodeScore() multiplies RRF, grounding and recency decay", () => {
  const rrf = 2 / 61;
  assert.equal(episodeScore(rrf, 1, daysAgo(0), NOW), rrf);
  assert.equal(episodeScore(rrf, 0.5, daysAgo(30), NOW), rrf * 0.5 * 0.5);
  assert.equal(episodeScore(rrf, 0.8, null, NOW), rrf * 0.8 * 0.5);
  assert.equal(episodeScore(rrf, 1, daysAgo(60), NOW, 60), rrf * 0.5);
});

Deno.test("episodeScore() clamps grounding and counts a missing one as 1", () => {
  assert.equal(episodeScore(0.1, 1.7, daysAgo(0), NOW), 0.1);
  assert.equal(episodeScore(0.1, -1, daysAgo(0), NOW), 0);
  assert.equal(episodeScore(0.1, NaN, daysAgo(0), NOW), 0.1);
});

Deno.test("episodeScore() with the document boost: documents outrank a same-day episode ×2", () => {
  const rrf = 1 / 61;
  const hits = boostUserDocuments([
    { id: "s", source: "session", score: episodeScore(rrf, 1, daysAgo(0), NOW) },
    { id: "d", source: "document", score: rrf },
  ]);
  assert.deepEqual(hits.map((h) => h.id), ["d", "s"]);
  assert.equal(hits[0]!.score / hits[1]!.score, 2);
});

const PHASE_20_DOC = {
  id: 7,
  text: "Phase 20: Intent Classification Gate — the gate classifies each message",
  score: 0.03,
};
const PHASE_20_EPISODE = "Phase 20 was about automated testing of the web scraper";

Deno.test("findContradictions() drops a grounding-0.2 episode about Phase 20 that disagrees", () => {
  const found = findContradictions([episode(1, 0.2, PHASE_20_EPISODE)], [PHASE_20_DOC]);
  assert.deepEqual(found, [{ episodeId: 1, documentId: 7, anchor: "phase 20", overlap: 0 }]);
});

Deno.test("findContradictions() keeps the same episode with grounding 0.6", () => {
  assert.deepEqual(findContradictions([episode(1, 0.6, PHASE_20_EPISODE)], [PHASE_20_DOC]), []);
  assert.deepEqual(findContradictions([episode(1, 0.5, PHASE_20_EPISODE)], [PHASE_20_DOC]), []);
});

Deno.test("findContradictions() does not compare Phase 20 with Phase 21", () => {
  const doc = { id: 8, text: "Phase 21: Web Scraper — crawls pages politely", score: 0 };
  assert.deepEqual(findContradictions([episode(1, 0.2, PHASE_20_EPISODE)], [doc]), []);
});

Deno.test("findContradictions() keeps a low-grounding episode that agrees with the document", () => {
  const agreeing = "We went over Phase 20, the intent classification gate for each message.";
  assert.deepEqual(findContradictions([episode(2, 0.2, agreeing)], [PHASE_20_DOC]), []);
});

Deno.test("findContradictions() keeps an episode when any document agrees", () => {
  const other = { id: 9, text: "Phase 20 notes: automated testing of the web scraper", score: 0 };
  const episodes = [episode(1, 0.2, PHASE_20_EPISODE)];
  assert.deepEqual(findContradictions(episodes, [PHASE_20_DOC, other]), []);
});

Deno.test("findContradictions() skips anchors without context and sentence openers", () => {
  const episodes = [episode(1, 0.1, "Phase 20."), episode(2, 0.1, "The gate was slow today.")];
  const doc = { id: 3, text: "The gate classifies messages quickly. Phase 20.", score: 0 };
  assert.deepEqual(findContradictions(episodes, [doc]), []);
  assert.deepEqual(findContradictions(episodes, []), []);
});

const KUBE_1 = "We set up Kubernetes with Terraform for the homelab.";
const KUBE_2 = "Terraform now provisions the Kubernetes nodes every night.";

Deno.test("findPoisonLoops() quarantines two low-grounding episodes about Kubernetes Terraform", () => {
  const result = findPoisonLoops(
    [episode(1, 0.2, KUBE_1), episode(2, 0.2, KUBE_2)],
    ["Notes on backups with Restic."],
  );
  assert.deepEqual(result, {
    poisoned: ["kubernetes", "terraform"],
    quarantined: [
      { episodeId: 1, poisoned: ["kubernetes", "terraform"], terms: ["kubernetes", "terraform"] },
      { episodeId: 2, poisoned: ["terraform", "kubernetes"], terms: ["terraform", "kubernetes"] },
    ],
  });
});

Deno.test("findPoisonLoops() never touches a grounding-0.9 episode with the same terms", () => {
  const result = findPoisonLoops(
    [episode(1, 0.2, KUBE_1), episode(2, 0.2, KUBE_2), episode(3, 0.9, KUBE_1)],
    [],
  );
  assert.deepEqual(result.quarantined.map((q) => q.episodeId), [1, 2]);
  const alone = findPoisonLoops([episode(3, 0.9, KUBE_1), episode(4, 0.9, KUBE_2)], []);
  assert.deepEqual(alone, { poisoned: [], quarantined: [] });
});

Deno.test("findPoisonLoops() needs two low-grounding episodes", () => {
  assert.deepEqual(findPoisonLoops([episode(1, 0.2, KUBE_1)], []), {
    poisoned: [],
    quarantined: [],
  });
});

Deno.test("findPoisonLoops() quarantines only more than half poisoned, documents vouching", () => {
  const episodes = [episode(1, 0.2, KUBE_1), episode(2, 0.2, KUBE_2)];
  const result = findPoisonLoops(episodes, ["Our Kubernetes cluster runs on three nodes."]);
  assert.deepEqual(result, { poisoned: ["terraform"], quarantined: [] });
});

Deno.test("findPoisonLoops() does not count sentence openers as terms", () => {
  const episodes = [
    episode(1, 0.2, "Discussed Zorblax. Using Zorblax for Python scripts."),
    episode(2, 0.2, "Discussed Zorblax deployment with Python."),
  ];
  const result = findPoisonLoops(episodes, ["import python"]);
  assert.deepEqual(result.poisoned, ["zorblax"]);
  assert.deepEqual(result.quarantined, []);
});
