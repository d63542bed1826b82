import assert from "node:assert/strict";
import { capText, CLAIM_LIMITS, splitClaims } from "./claims.ts";

Deno.test("splitClaims() makes each summary sentence, decision, lesson and surprise a claim", () => {
  const { claims, cut } = splitClaims({
    summary: "Discussed backup retention. Decided to keep seven daily archives.",
    decisions: ["Keep 7 archives"],
    lessons: ["Test restores monthly", "  "],
    surprises: ["The NAS was full"],
  });
  assert.deepEqual(claims.map((c) => [c.kind, c.position, c.text]), [
    ["summary", 0, "Discussed backup retention."],
    ["summary", 1, "Decided to keep seven daily archives."],
    ["decision", 2, "Keep 7 archives"],
    ["lesson", 3, "Test restores monthly"],
    ["surprise", 4, "The NAS was full"],
  ]);
  assert.equal(cut, 0);
});

Deno.test("splitClaims() caps hundreds of claims at 40 and counts the rest", () => {
  const summary = Array.from({ length: 30 }, (_, i) => `Fact ${i} is true.`).join(" ");
  const lessons = Array.from({ length: 300 }, (_, i) => `Lesson ${i}`);
  const { claims, cut } = splitClaims({ summary, lessons });
  assert.equal(claims.length, CLAIM_LIMITS.claims);
  // 290 lessons past the list cap, then 30 + 10 = 40 claims: none more cut.
  assert.equal(cut, 290);
});

Deno.test("splitClaims() caps a 300 kB summary at 2,000 characters and each claim at 400", () => {
  const summary = "word ".repeat(60_000);
  const { claims } = splitClaims({ summary, decisions: ["x".repeat(5_000)] });
  assert.ok(claims.every((c) => c.text.length <= CLAIM_LIMITS.claimChars));
  assert.ok(capText(summary, CLAIM_LIMITS.summaryChars).length <= CLAIM_LIMITS.summaryChars);
  assert.equal(capText("One. Two. Three.", 12), "One. Two.");
});
