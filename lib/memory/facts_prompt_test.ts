import assert from "node:assert/strict";
import { factsPromptSection } from "./facts_prompt.ts";
import { type FactRow, Store } from "../store/mod.ts";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

Deno.test("factsPromptSection() groups facts under mycoSwarm's headings", () => {
  using store = Store.open(":memory:");
  store.facts.add("lives in Oslo", "fact", iso(NOW));
  store.facts.add("short answers", "preference", iso(NOW));
  store.facts.add("dentist at 3", "ephemeral", iso(NOW));
  const section = factsPromptSection(store.facts.list());
  assert.equal(
    section.text,
    "Known facts about the user:\n- lives in Oslo\n\nUser preferences:\n- short answers\n\n" +
      "Temporary notes:\n- dentist at 3",
  );
  assert.equal(section.leftOut, 0);
  assert.deepEqual(factsPromptSection([]), { text: "", shown: [], leftOut: 0 });
});

/** 40 plain facts used one a day, then a preference remembered first and never used since. */
function manyFacts(store: Store): FactRow[] {
  store.facts.add("always answer in Norwegian", "preference", iso(NOW - 90 * 86_400_000));
  for (let i = 0; i < 40; i++) {
    const fact = store.facts.add(`fact number ${i} about the garden shed`, "fact", iso(NOW));
    store.facts.touch([fact.id], iso(NOW - (40 - i) * 86_400_000));
  }
  store.facts.add("the koi pond pump is a Oase AquaMax 8000", "fact", iso(NOW - 80 * 86_400_000));
  return store.facts.list();
}

Deno.test("factsPromptSection() over budget keeps preferences, then relevant, then recent facts, and counts the rest", () => {
  using store = Store.open(":memory:");
  const facts = manyFacts(store);
  const section = factsPromptSection(facts, {
    message: "Which pump does the koi pond have?",
    budgetChars: 300,
  });
  assert.ok(section.text.length <= 300, `${section.text.length} characters`);
  assert.equal(section.shown[0]!.text, "always answer in Norwegian");
  assert.equal(section.shown[1]!.text, "the koi pond pump is a Oase AquaMax 8000");
  // Then the most recently used: fact 39 was used yesterday, fact 38 the day before.
  assert.equal(section.shown[2]!.text, "fact number 39 about the garden shed");
  assert.equal(section.shown[3]!.text, "fact number 38 about the garden shed");
  assert.equal(section.leftOut, facts.length - section.shown.length);
  assert.ok(section.leftOut > 30);
  assert.match(section.text, /User preferences:\n- always answer in Norwegian/);
  assert.match(section.text, new RegExp(`\\n\\n${section.leftOut} more facts not shown\\.$`));
});

Deno.test("factsPromptSection() passes over a fact too long for the room left, not the shorter ones after it", () => {
  using store = Store.open(":memory:");
  store.facts.add("x".repeat(500), "preference", iso(NOW));
  store.facts.add("short answers", "preference", iso(NOW));
  const section = factsPromptSection(store.facts.list(), { budgetChars: 120 });
  assert.equal(section.text, "User preferences:\n- short answers\n\n1 more fact not shown.");
  assert.equal(section.leftOut, 1);
});

Deno.test("factsPromptSection() gives an empty block when not even the count fits", () => {
  using store = Store.open(":memory:");
  store.facts.add("short answers", "preference", iso(NOW));
  assert.deepEqual(factsPromptSection(store.facts.list(), { budgetChars: 5 }), {
    text: "",
    shown: [],
    leftOut: 1,
  });
});
