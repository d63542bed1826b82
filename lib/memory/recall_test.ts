import assert from "node:assert/strict";
import { recall, type RecallIndexes } from "./recall.ts";
import { episodesSource, openCollectionIndex, openLibraryIndex } from "./collection_index.ts";
import { ingestPaths } from "./ingest.ts";
import { Store } from "../store/mod.ts";
import { silentLogger, systemClock } from "../core/mod.ts";
import type { NewEpisode } from "../store/mod.ts";

const NOW = Date.parse("2026-11-21T12:00:00Z");

function episode(summary: string, grounding: number): NewEpisode {
  return {
    name: "s",
    model: null,
    started_at: null,
    ended_at: "2026-11-21T09:00:00.000Z",
    message_count: 4,
    summary,
    decisions: [],
    lessons: [],
    surprises: [],
    tone: "neutral",
    grounding,
    indexed: true,
    summaryEmbedding: null,
    lessonEmbeddings: [],
    embeddingModel: null,
  };
}

async function setUp(dir: string, store: Store, docs: Record<string, string>) {
  for (const [name, text] of Object.entries(docs)) await Deno.writeTextFile(`${dir}/${name}`, text);
  await ingestPaths([dir], { store, embedder: null, clock: systemClock });
  const options = { indexDir: `${dir}/index`, vectorModel: null, logger: silentLogger };
  const indexes: RecallIndexes = {
    documents: (await openLibraryIndex(store, options)).index,
    episodes: (await openCollectionIndex(store, episodesSource(store), options)).index,
    procedures: null,
  };
  return indexes;
}

Deno.test("recall() quarantines two low-grounding episodes that only repeat each other", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    const a = store.episodes.add(episode("Deployed Kubernetes with Terraform modules", 0.35));
    const b = store.episodes.add(episode("Kubernetes Terraform pipeline was finished", 0.4));
    const good = store.episodes.add(episode("Kubernetes Terraform notes were reviewed", 0.9));
    const indexes = await setUp(dir, store, { "garden.md": "# Garden\n\nTomatoes in June.\n" });
    const result = await recall(
      "Kubernetes Terraform",
      { tool: "answer", mode: "recall", scope: "session" },
      { store, indexes, embedder: null, now: NOW },
    );
    assert.deepEqual(result.quarantined.map((q) => q.episodeId).sort(), [a, b]);
    assert.deepEqual(result.episodes.map((s) => s.episode.id), [good]);
    assert.deepEqual(store.episodes.list({ quarantined: true }).map((s) => s.id).sort(), [a, b]);
    assert.match(result.notes[0]!, /quarantined 2 session memories/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recall() drops a low-grounding episode that a document contradicts; documents ×2", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    const wrong = store.episodes.add(
      episode("Phase 20 was about automated testing of the web scraper", 0.35),
    );
    const indexes = await setUp(dir, store, {
      "plan.md":
        "# Plan\n\nPhase 20: Intent Classification Gate — the gate classifies each message.\n",
    });
    const result = await recall(
      "what was phase 20 about",
      { tool: "rag", mode: "recall", scope: "all" },
      { store, indexes, embedder: null, now: NOW },
    );
    assert.deepEqual(result.contradicted.map((c) => [c.episodeId, c.anchor]), [[
      wrong,
      "phase 20",
    ]]);
    assert.deepEqual(result.episodes, []);
    assert.equal(result.documents.length, 1);
    const raw = indexes.documents!.search({ text: "what was phase 20 about", limit: 1 })[0]!;
    assert.equal(result.documents[0]!.score, raw.score, "no ×2 without episodes in the answer");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recall() scores documents ×2 when episodes are recalled alongside", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    store.episodes.add(episode("We planned the pond pump cleaning", 0.9));
    const indexes = await setUp(dir, store, {
      "pond.md": "# Pond\n\nThe pond pump cleaning is in April.\n",
    });
    const result = await recall(
      "pond pump cleaning",
      { tool: "rag", mode: "explore", scope: "all" },
      { store, indexes, embedder: null, now: NOW },
    );
    const raw = indexes.documents!.search({ text: "pond pump cleaning", limit: 1 })[0]!;
    assert.equal(result.episodes.length, 1);
    assert.equal(result.documents[0]!.score, raw.score * 2);
    // Same day, same rank: the episode scores rrf × grounding × 1.0; the document 2 × rrf.
    assert.ok(result.documents[0]!.score > result.episodes[0]!.score);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
