import assert from "node:assert/strict";
import {
  parseReflection,
  plainReflection,
  reflectionTranscript,
  salvageReflection,
} from "./reflection.ts";

Deno.test("parseReflection() reads a clean JSON reply", () => {
  const r = parseReflection(
    '{"summary":"We planned the NAS backup.","decisions":["nightly at 02:00"],' +
      '"lessons":["when backups fail, check the disk"],"surprises":[],"tone":"resolution"}',
  );
  assert.deepEqual(r, {
    summary: "We planned the NAS backup.",
    decisions: ["nightly at 02:00"],
    lessons: ["when backups fail, check the disk"],
    surprises: [],
    tone: "resolution",
  });
});

Deno.test("parseReflection() survives fences, prose and bad fields one by one", () => {
  const r = parseReflection(
    'Sure! Here it is:\n```json\n{"summary": "Talked {about} tea.", "decisions": "none", ' +
      '"lessons": ["a", 3, ""], "tone": "Ecstatic"}\n```',
  );
  assert.deepEqual(r, {
    summary: "Talked {about} tea.",
    decisions: [],
    lessons: ["a"],
    surprises: [],
    tone: "neutral",
  });
  assert.equal(parseReflection("no json at all"), null);
  assert.equal(parseReflection('{"decisions": []}'), null);
  assert.equal(parseReflection('{"summary": "x", "emotional_tone": "flow"}')?.tone, "flow");
});

Deno.test("reflectionTranscript() keeps the last 30 messages, 500 characters each", () => {
  const messages = Array.from({ length: 40 }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: `${i} ${"x".repeat(600)}`,
  }));
  const text = reflectionTranscript([{ role: "system", content: "sys" }, ...messages]);
  const parts = text.split("\n\n");
  assert.equal(parts.length, 30);
  assert.ok(parts[0]!.startsWith("USER: 10 "));
  assert.equal(parts[0]!.length, "USER: ".length + 500);
  assert.deepEqual(plainReflection(" s ").tone, "neutral");
});

Deno.test("salvageReflection() keeps the complete parts of a reply cut short", () => {
  const raw = '{"summary": "We fixed the \\"Nginx\\" 502s.", "decisions": ["Use Caddy"], ' +
    '"lessons": ["Check the upstream port", "Restart';
  assert.equal(parseReflection(raw), null);
  assert.deepEqual(salvageReflection(raw), {
    summary: 'We fixed the "Nginx" 502s.',
    decisions: ["Use Caddy"],
    lessons: ["Check the upstream port"],
    surprises: [],
    tone: "neutral",
  });
  assert.equal(salvageReflection('{"summary": "cut sh'), null);
  assert.equal(salvageReflection("nothing"), null);
});

Deno.test("parseReflection() keeps every list item; the caps are applied when storing", () => {
  const lessons = Array.from({ length: 300 }, (_, i) => `lesson ${i}`);
  assert.equal(parseReflection(JSON.stringify({ summary: "s", lessons }))?.lessons.length, 300);
});
