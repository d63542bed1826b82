import assert from "node:assert/strict";
import {
  mergeHits,
  parsePlan,
  researchInstructions,
  type ResearchSource,
  searchHits,
  sourcesList,
} from "./research_plan.ts";

const Q = "How do fungi spread?";

Deno.test("parsePlan() reads {searches: [...]}, fenced or with text around it", () => {
  const plain = parsePlan('{"searches": ["fungal spores", "mycelium growth"]}', Q);
  assert.deepEqual(plain, { queries: ["fungal spores", "mycelium growth"], fallback: null });
  const fenced = parsePlan('Sure!\n```json\n{"searches": ["a b", "c"]}\n```', Q);
  assert.deepEqual(fenced.queries, ["a b", "c"]);
  assert.deepEqual(parsePlan('["x", "y"]', Q).queries, ["x", "y"]);
});

Deno.test("parsePlan() cleans, de-duplicates and keeps at most 4 queries", () => {
  const plan = parsePlan(
    JSON.stringify({ searches: [" a\n b ", "A B", "", 7, "c", "d", "e", "f"] }),
    Q,
  );
  assert.deepEqual(plan.queries, ["a b", "c", "d", "e"]);
});

Deno.test("parsePlan() falls back to the question alone on anything unusable", () => {
  for (
    const [answer, why] of [
      ["I would search for spores.", /not JSON/],
      ['{"queries": ["x"]}', /no "searches" list/],
      ['{"searches": ["", "  ", 3]}', /no searches/],
      ["{broken", /not JSON/],
    ] as const
  ) {
    const plan = parsePlan(answer, `  ${Q}\n`);
    assert.deepEqual(plan.queries, [Q]);
    assert.match(plan.fallback ?? "", why);
  }
});

Deno.test("searchHits() keeps only well-formed http(s) hits of a web_search result", () => {
  const hits = searchHits({
    results: [
      { title: "A", url: "https://a.example/", snippet: "a" },
      { title: "", url: "http://b.example/", snippet: "" },
      { title: "C", url: "javascript:alert(1)", snippet: "c" },
      { title: "D", url: "https://d.example/" },
      "nonsense",
    ],
  });
  assert.deepEqual(hits, [
    { title: "A", url: "https://a.example/", snippet: "a" },
    { title: "http://b.example/", url: "http://b.example/", snippet: "" },
  ]);
  assert.deepEqual(searchHits(null), []);
  assert.deepEqual(searchHits({ results: "x" }), []);
});

Deno.test("mergeHits() takes each query's best first and drops repeated URLs", () => {
  const hit = (url: string) => ({ title: url, url, snippet: "" });
  const merged = mergeHits([
    [hit("https://a.example/1"), hit("https://www.shared.example/?utm_source=q1")],
    [hit("https://b.example/1"), hit("https://shared.example")],
    [hit("https://shared.example/"), hit("https://c.example/2")],
  ]);
  assert.deepEqual(merged.map((h) => h.url), [
    "https://a.example/1",
    "https://b.example/1",
    "https://shared.example/",
    "https://c.example/2",
  ]);
  assert.deepEqual(mergeHits([]), []);
});

Deno.test("researchInstructions() labels the results and asks for [W1] citations", () => {
  const sources: ResearchSource[] = [
    { label: "[W1]", title: "Spores", url: "https://a.example/", text: "Spores fly.", read: true },
    {
      label: "[W2]",
      title: "Hyphae",
      url: "https://b.example/",
      text: "Hyphae grow.",
      read: false,
    },
  ];
  const system = researchInstructions(sources, new Date("2026-03-01T12:00:00Z"));
  assert.match(system, /Today is 2026-03-01/);
  assert.match(system, /like \[W1\]/);
  assert.match(system, /\[W1\] Spores \(https:\/\/a\.example\/\):\n"""\nSpores fly\.\n"""/);
  assert.match(system, /\[W2\] Hyphae/);
  assert.equal(
    sourcesList(sources),
    "Sources:\n  [W1] Spores — https://a.example/\n  [W2] Hyphae — https://b.example/ (snippet)",
  );
  assert.equal(sourcesList([]), "");
});
