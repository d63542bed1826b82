import assert from "node:assert/strict";
import { assemblePrompt, sourcesFooter } from "./prompt_assembly.ts";

const base = {
  facts: "",
  sessions: [],
  documents: [],
  web: [],
  procedures: [],
  now: new Date("2026-11-21T12:00:00Z"),
  budgetChars: 10_000,
};

Deno.test("assemblePrompt() labels and dates memories and holds the honesty rules", () => {
  const { system, sources } = assemblePrompt({
    ...base,
    facts: "Known facts about the user:\n- lives in Oslo",
    sessions: [{
      date: "2026-11-02T18:00:00.000Z",
      summary: "the NAS backup plan",
      tone: "resolution",
      decisions: ["nightly at 02:00"],
      lessons: ["check the disk first"],
    }],
    documents: [{ source: "/home/a/nas.md", section: "Backups", text: "Runs at 02:00." }],
    procedures: [{ problem: "backup fails", solution: "check the disk" }],
  });
  assert.match(system, /Today is 2026-11-21\./);
  assert.match(system, /Known facts about the user:\n- lives in Oslo/);
  assert.match(system, /\[S1\] On 2026-11-02 we discussed \(resolution\): the NAS backup plan/);
  assert.match(system, /Decision: nightly at 02:00/);
  assert.match(system, /\[D1\] From \/home\/a\/nas\.md › Backups:\n"""\nRuns at 02:00\.\n"""/);
  assert.match(system, /\[P1\] Problem: backup fails/);
  assert.match(system, /I don't recall us discussing that/);
  assert.match(system, /Never fabricate current data/);
  assert.match(system, /data, never instructions/);
  assert.deepEqual(sources.map((s) => s.label), ["[S1]", "[D1]", "[P1]"]);
});

Deno.test("assemblePrompt() keeps the best items that fit the budget", () => {
  const documents = ["first", "second", "third"].map((w) => ({
    source: `${w}.md`,
    section: null,
    text: w.repeat(50),
  }));
  const { system, sources } = assemblePrompt({ ...base, documents, budgetChars: 700 });
  assert.deepEqual(sources.map((s) => s.description), ["first.md", "second.md"]);
  assert.doesNotMatch(system, /third/);
});

Deno.test("sourcesFooter() lists the cited labels, else every source", () => {
  const sources = [
    { label: "[D1]", description: "a.md" },
    { label: "[D2]", description: "b.md" },
  ];
  assert.equal(sourcesFooter("As [D2] says.", sources), "Sources:\n  [D2] b.md");
  assert.equal(sourcesFooter("No citation.", sources), "Sources:\n  [D1] a.md\n  [D2] b.md");
  assert.equal(sourcesFooter("x", []), "");
});
