import assert from "node:assert/strict";
import {
  capitalisedWords,
  groundClaims,
  groundingScore,
  groundingTerms,
  INDEX_MIN_GROUNDING,
  LOW_GROUNDING,
  reflectionGrounding,
  splitSentences,
} from "./grounding.ts";

Deno.test("groundingScore() gives 1/3 for Python and Kubernetes against a Python question", () => {
  const summary = "Discussed Python and Kubernetes deployment";
  assert.deepEqual(groundingTerms(summary), ["discussed", "python", "kubernetes"]);
  assert.equal(groundingScore(summary, ["Tell me about Python deployment options."]), 0.3333);
});

Deno.test("groundingScore() is 1.0 for a summary without terms", () => {
  assert.equal(groundingScore("we chatted about nothing much.", ["hi"]), 1);
  assert.equal(groundingScore("", []), 1);
});

Deno.test("groundingScore() searches all evidence, lowercased, as substrings", () => {
  const summary = "Compared Deno and Bun for the CLI.";
  assert.equal(groundingScore(summary, ["is deno fast?", "[D1] Bun is a runtime"]), 0.5);
  assert.equal(groundingScore(summary, []), 0);
});

Deno.test("groundingTerms() skips sentence-opening function words and speaker labels only", () => {
  const summary = "The user asked about Rust. We compared Go and Zig. User liked Zig. Kotlin too.";
  assert.deepEqual(groundingTerms(summary), ["rust", "zig", "kotlin"]);
});

Deno.test("groundingTerms() strips punctuation and possessives, keeps quoted phrases", () => {
  const summary = `It's 'Project X' (in Deno's "dark mode"): 'no', 'ok?' and "A".`;
  assert.deepEqual(groundingTerms(summary), [
    "project",
    "deno",
    "dark mode",
    "a",
    "project x",
    "ok?",
  ]);
});

Deno.test("splitSentences() splits sentences and list items", () => {
  const text = "Set up Deno 2.1. Tests pass!\n- First item\n2) Second item. e.g. this stays";
  assert.deepEqual(splitSentences(text), [
    "Set up Deno 2.1.",
    "Tests pass!",
    "First item",
    "Second item. e.g. this stays",
  ]);
});

Deno.test("capitalisedWords() marks sentence openers and reads the next token", () => {
  assert.deepEqual(capitalisedWords("Phase 20: the Intent gate."), [
    { word: "Phase", initial: true, following: "20" },
    { word: "Intent", initial: false, following: "gate" },
  ]);
});

Deno.test("groundClaims() fails a claim with an invented name and says which", () => {
  const result = groundClaims("We use Deno with SQLite. Decided to move to Zorblax.", [
    "Should I store notes in SQLite from Deno?",
  ]);
  assert.equal(result.score, 0.5);
  assert.deepEqual(result.claims.map((c) => [c.grounded, c.missing]), [
    [true, []],
    [false, ["zorblax"]],
  ]);
});

Deno.test("groundClaims() checks a sentence opener only when it looks like a name", () => {
  const evidence = ["I back up to Backblaze every night. Tailscale lets me reach the Pi."];
  const result = groundClaims(
    ["Nightly backups go to Backblaze.", "Tailscale gives remote access.", "Explored options."],
    evidence,
  );
  assert.deepEqual(result.claims.map((c) => [c.checkedBy, c.grounded]), [
    ["terms", true],
    ["terms", true],
    ["words", false],
  ]);
});

Deno.test("groundClaims() grounds a claim without names by half its content words", () => {
  const evidence = ["How do I rotate the log files of my web server?"];
  const result = groundClaims(
    ["We talked about rotating server log files.", "Recommended switching to a managed database."],
    evidence,
  );
  assert.deepEqual(result.claims.map((c) => [c.grounded, c.missing]), [
    [true, []],
    [false, ["recommended", "switching", "managed", "database"]],
  ]);
  assert.equal(result.score, 0.5);
});

Deno.test("groundClaims() does not count claims with nothing to check", () => {
  const result = groundClaims("That was it. So it is.", []);
  assert.equal(result.score, 1);
  assert.deepEqual(result.claims.map((c) => c.checkedBy), ["none", "none"]);
});

const EVIDENCE = [
  "I want to deploy my Flask app with Docker on a Raspberry Pi.",
  "Should I use SQLite or Postgres for the inventory database?",
  "My Nginx config keeps returning 502 errors from the upstream.",
  "Can Ollama run Llama models on the Pi?",
  "I back up everything to Backblaze with Restic every night.",
  "Is Caddy easier than Nginx for HTTPS certificates?",
  "I monitor the Pi with Grafana and Prometheus.",
  "Tailscale lets me reach it from my laptop.",
  "The Pi has 8 GB of RAM and an SSD over USB.",
];

const NINE_TRUE = [
  "The user wants to deploy a Flask app with Docker on a Raspberry Pi.",
  "We compared SQLite and Postgres for the inventory database.",
  "The Nginx 502 errors came from a wrong upstream port.",
  "Ollama can run Llama models on the Pi.",
  "Nightly backups go to Backblaze with Restic.",
  "Caddy was suggested as simpler than Nginx for HTTPS.",
  "Monitoring runs on Grafana and Prometheus.",
  "Tailscale gives remote access from the laptop.",
  "The Pi has 8 GB of RAM and boots from an SSD over USB.",
];
const INVENTED = "Decided to migrate the cluster to Zorblax on Quendra Cloud.";

Deno.test("reflectionGrounding() keeps a fully grounded summary at its term score", () => {
  const result = reflectionGrounding({ summary: NINE_TRUE.join(" ") }, EVIDENCE);
  // Of 20 terms, "nightly" and "monitoring" (sentence openers the reference counts) are missing.
  assert.equal(result.termScore, 0.9);
  assert.equal(result.claimScore, 1);
  assert.equal(result.score, 0.9);
  assert.deepEqual(result.missingTerms, ["nightly", "monitoring"]);
  assert.equal(result.low, false);
  assert.equal(result.indexed, true);
});

Deno.test("reflectionGrounding() flags one invented claim among nine true ones: 0.45", () => {
  const result = reflectionGrounding({ summary: [...NINE_TRUE, INVENTED].join(" ") }, EVIDENCE);
  // The averages hide it: 0.75 of the terms and 0.9 of the claims are grounded...
  assert.equal(result.termScore, 0.75);
  assert.equal(result.claimScore, 0.9);
  assert.ok(result.termScore >= LOW_GROUNDING && result.claimScore >= LOW_GROUNDING);
  // ...the failed claim halves the claim score: min(0.75, 0.9 × 0.5) = 0.45.
  assert.equal(result.score, 0.45);
  assert.equal(result.low, true);
  assert.equal(result.indexed, true);
  const failed = result.claims.filter((c) => !c.grounded);
  assert.deepEqual(failed.map((c) => [c.text, c.missing]), [
    [INVENTED, ["zorblax", "quendra", "cloud"]],
  ]);
});

Deno.test("reflectionGrounding() checks decisions and lessons as claims too", () => {
  const result = reflectionGrounding({
    summary: "We compared SQLite and Postgres for the inventory database.",
    decisions: ["Use SQLite for the inventory."],
    lessons: ["Zorblax needs a Quendra license.", "Restic backups run every night."],
  }, EVIDENCE);
  assert.equal(result.termScore, 1);
  assert.equal(result.claimScore, 0.75);
  assert.equal(result.score, 0.375);
  assert.equal(result.indexed, true);
});

Deno.test("reflectionGrounding() does not index a mostly invented summary", () => {
  const result = reflectionGrounding({
    summary: "Set up Zorblax on Quendra. Fixed the Flask app. Moved logs to Vextor.",
  }, EVIDENCE);
  assert.equal(result.termScore, 0.1429); // only flask of 7 terms
  assert.equal(result.claimScore, 0.3333); // min(0.1429, 0.3333 × 0.5)
  assert.equal(result.score, 0.1429);
  assert.ok(result.score < INDEX_MIN_GROUNDING);
  assert.equal(result.indexed, false);
});
