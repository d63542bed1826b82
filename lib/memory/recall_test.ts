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

Deno.test("recall() brings old episodes by their old score: 0.9 recalled, 0.35 held back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    // Stored before claims (no claim rows), as an old store's episodes are.
    const a = store.episodes.add(episode("Deployed Kubernetes with Terraform modules", 0.35));
    const good = store.episodes.add(episode("Kubernetes Terraform notes were reviewed", 0.9));
    const indexes = await setUp(dir, store, { "garden.md": "# Garden\n\nTomatoes in June.\n" });
    const result = await recall(
      "Kubernetes Terraform",
      { tool: "answer", mode: "recall", scope: "session" },
      { store, indexes, embedder: null, now: NOW },
    );
    assert.deepEqual(result.episodes.map((s) => s.episode.id), [good]);
    assert.deepEqual(result.episodes[0]!.claims.map((c) => c.ref), [`s${good}.0`]);
    assert.deepEqual(result.withheld.map((w) => [w.episodeId, w.action, w.reason]), [
      [a, "held back", "stored before claim checks; its session scored 35%"],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("recall() drops a grounded claim a document contradicts by value; keeps the rest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    const claims = ["The backups run at 05:00.", "The backups go to Backblaze."];
    const id = store.episodes.add({
      ...episode(claims.join(" "), 1),
      recallText: claims.join(" "),
      claims: claims.map((text, position) => ({
        kind: "summary" as const,
        position,
        text,
        grounded: true,
        reason: "",
        missing: [],
        quarantined: false,
      })),
    });
    const indexes = await setUp(dir, store, {
      "nas.md": "# NAS\n\nThe backups run at 02:00 every night.\n",
    });
    const result = await recall(
      "when do the backups run",
      { tool: "answer", mode: "recall", scope: "session" },
      { store, indexes, embedder: null, now: NOW },
    );
    assert.deepEqual(result.episodes.map((e) => e.claims.map((c) => c.text)), [[claims[1]]]);
    assert.deepEqual(result.withheld.map((w) => [w.episodeId, w.action, w.reason]), [
      [id, "dropped", "the document says 02:00, not 05:00"],
    ]);
    assert.deepEqual(result.documents, [], "documents searched only to check the claims");
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
