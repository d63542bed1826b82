import assert from "node:assert/strict";
import {
  type EpisodeMatch,
  rankEpisodes,
  relevance,
  RELEVANCE_FLOOR,
  SEMANTIC_FLOOR,
  topicTerms,
} from "./episode_ranking.ts";
import { searchTerms } from "../search/mod.ts";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

function match(name: string, rel: number, days: number, grounding = 1): EpisodeMatch<string> {
  return {
    item: name,
    relevance: rel,
    searchScore: 1 / 61,
    grounding,
    date: daysAgo(days),
    halfLifeDays: 30,
  };
}

Deno.test("topicTerms() drops the words of a past reference only when there is one", () => {
  const terms = searchTerms("What did we discuss last time about Postgres autovacuum?");
  // Expected terms go through the tokenizer too: the index may stem them.
  assert.deepEqual(
    topicTerms(terms, { pastReference: true, termsOf: searchTerms }),
    searchTerms("Postgres autovacuum"),
  );
  assert.deepEqual(
    topicTerms(searchTerms("What did we discuss last time?"), {
      pastReference: true,
      termsOf: searchTerms,
    }),
    [],
  );
  assert.deepEqual(
    topicTerms(searchTerms("How much time does a backup take?"), {
      pastReference: false,
      termsOf: searchTerms,
    }),
    searchTerms("much time backup take"),
  );
  assert.deepEqual(
    topicTerms(searchTerms("Can you remind me of the best way to tune Postgres?"), {
      pastReference: false,
      termsOf: searchTerms,
    }),
    searchTerms("tune Postgres"),
  );
});

Deno.test("relevance() is the share of topic terms a hit contains", () => {
  const topic = searchTerms("Postgres autovacuum replication");
  const terms = new Set(searchTerms("We tuned Postgres autovacuum: scale factor 0.05"));
  assert.equal(relevance(topic, { terms, similarity: null }), 2 / 3);
  assert.equal(relevance(topic, { terms: new Set(["nas", "backup"]), similarity: null }), 0);
  assert.equal(relevance([], { terms, similarity: 0.99 }), 0);
});

Deno.test("relevance() reaches the floor with two shared terms of a long question, not one", () => {
  const topic = searchTerms("configure autovacuum settings Postgres database table bloat");
  const terms = new Set(searchTerms("We tuned Postgres autovacuum: scale factor 0.05"));
  assert.equal(relevance(topic, { terms, similarity: null }), RELEVANCE_FLOOR);
  const one = new Set(searchTerms("We backed up the Postgres database"));
  assert.equal(
    relevance(searchTerms("Kubernetes ingress Postgres"), { terms: one, similarity: null }),
    1 / 3,
  );
});

Deno.test("relevance() lets a high cosine similarity stand for the words, a low one not", () => {
  const none = new Set<string>();
  assert.equal(relevance(["car"], { terms: none, similarity: SEMANTIC_FLOOR - 0.01 }), 0);
  assert.equal(relevance(["car"], { terms: none, similarity: SEMANTIC_FLOOR }), RELEVANCE_FLOOR);
  assert.equal(relevance(["car"], { terms: none, similarity: 1 }), 1);
  // Keywords that cover the topic are not lowered by a weak vector.
  assert.equal(relevance(["car"], { terms: new Set(["car"]), similarity: 0.2 }), 1);
});

Deno.test("rankEpisodes() puts a relevant memory from ten days ago above unrelated ones from yesterday", () => {
  const ranked = rankEpisodes([
    match("nas, yesterday", 0, 1),
    match("garden, yesterday", 0.25, 1),
    match("autovacuum, ten days ago", 1, 10),
  ], NOW);
  assert.deepEqual(ranked.map((r) => r.item), ["autovacuum, ten days ago"]);
});

Deno.test("rankEpisodes() recalls nothing when no memory reaches the floor", () => {
  const ranked = rankEpisodes([
    match("a", RELEVANCE_FLOOR - 0.01, 0),
    match("b", 0, 0),
  ], NOW);
  assert.deepEqual(ranked, []);
});

Deno.test("rankEpisodes() lets recency order comparably relevant memories, never lift a less relevant one", () => {
  const ranked = rankEpisodes([
    match("half, today", 0.5, 0),
    match("full, 90 days ago", 1, 90),
    match("three quarters, today", 0.75, 0),
    match("full, yesterday", 1, 1),
  ], NOW);
  assert.deepEqual(ranked.map((r) => r.item), [
    "full, yesterday",
    "three quarters, today",
    "full, 90 days ago",
    "half, today",
  ]);
});

Deno.test("rankEpisodes() ranks an ungrounded memory below a grounded one of the same band", () => {
  const ranked = rankEpisodes([match("invented", 1, 0, 0.2), match("grounded", 1, 5, 1)], NOW);
  assert.deepEqual(ranked.map((r) => r.item), ["grounded", "invented"]);
});

Deno.test("rankEpisodes() scores never rise down the ranking", () => {
  const ranked = rankEpisodes([
    { ...match("old but relevant", 1, 200), searchScore: 1 / 62 },
    { ...match("new, less relevant", 0.6, 0), searchScore: 1 / 61 },
  ], NOW);
  assert.deepEqual(ranked.map((r) => r.item), ["old but relevant", "new, less relevant"]);
  assert.ok(ranked[0]!.score >= ranked[1]!.score);
  assert.ok(ranked[1]!.score > 0);
});
