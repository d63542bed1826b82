import assert from "node:assert/strict";
import { factsUsedIn, isStale, parseFactText } from "./facts.ts";
import { Store } from "../store/mod.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-21T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

Deno.test("parseFactText() reads the pref:, project: and temp: prefixes", () => {
  assert.deepEqual(parseFactText("pref: dark mode everywhere"), {
    type: "preference",
    text: "dark mode everywhere",
  });
  assert.deepEqual(parseFactText("Preference:  tea"), { type: "preference", text: "tea" });
  assert.deepEqual(parseFactText("project: mushroom farm"), {
    type: "project",
    text: "mushroom farm",
  });
  assert.deepEqual(parseFactText("temp: dentist at 3"), {
    type: "ephemeral",
    text: "dentist at 3",
  });
  assert.deepEqual(parseFactText("ephemeral: x"), { type: "ephemeral", text: "x" });
  assert.deepEqual(parseFactText("  my name is Ann "), { type: "fact", text: "my name is Ann" });
});

Deno.test("FactsRepo never reuses ids and touch() refreshes a fact", () => {
  using store = Store.open(":memory:");
  const a = store.facts.add("one", "fact", iso(NOW));
  const b = store.facts.add("two", "fact", iso(NOW));
  assert.equal(store.facts.remove(b.id), true);
  assert.equal(store.facts.remove(b.id), false);
  const c = store.facts.add("three", "fact", iso(NOW));
  assert.deepEqual([a.id, b.id, c.id], [1, 2, 3]);
  store.facts.touch([a.id], iso(NOW + DAY));
  const touched = store.facts.get(a.id)!;
  assert.equal(touched.reference_count, 1);
  assert.equal(touched.last_referenced_at, iso(NOW + DAY));
});

Deno.test("isStale(): 30 days without use, 7 for ephemeral facts", () => {
  const fact = (type: "fact" | "ephemeral", daysAgo: number) => ({
    id: 1,
    text: "x",
    type,
    created_at: iso(NOW - daysAgo * DAY),
    last_referenced_at: iso(NOW - daysAgo * DAY),
    reference_count: 0,
  });
  assert.equal(isStale(fact("fact", 29), NOW), false);
  assert.equal(isStale(fact("fact", 30), NOW), true);
  assert.equal(isStale(fact("ephemeral", 6), NOW), false);
  assert.equal(isStale(fact("ephemeral", 7), NOW), true);
});

Deno.test("factsUsedIn() finds the facts an answer relies on", () => {
  using store = Store.open(":memory:");
  const oslo = store.facts.add("The user lives in Oslo, Norway", "fact", iso(NOW));
  store.facts.add("Prefers tea over coffee", "preference", iso(NOW));
  const used = factsUsedIn("Since you live in Oslo, Norway gets dark early in winter.", [
    ...store.facts.list(),
  ]);
  assert.deepEqual(used.map((f) => f.id), [oslo.id]);
});
