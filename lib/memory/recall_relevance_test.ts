/** recall()'s episode ranking, relevance first, by keywords alone and hybrid. */

import assert from "node:assert/strict";
import { recall, type RecallIndexes } from "./recall.ts";
import type { Embedder } from "./embedder.ts";
import { episodesSource, openCollectionIndex } from "./collection_index.ts";
import { type NewEpisode, Store } from "../store/mod.ts";
import { silentLogger } from "../core/mod.ts";
import { fakeEmbedding } from "../../testing/fake_llm.ts";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const DIMS = 64;
const embedder: Embedder = {
  model: "fake-embed",
  embed: (texts) => Promise.resolve(texts.map((t) => fakeEmbedding(t, DIMS))),
};

function episode(summary: string, daysAgo: number, vectors: boolean): NewEpisode {
  return {
    name: "s",
    model: null,
    started_at: null,
    ended_at: new Date(NOW - daysAgo * 86_400_000).toISOString(),
    message_count: 4,
    summary,
    decisions: [],
    lessons: [],
    surprises: [],
    tone: "neutral",
    grounding: 1,
    indexed: true,
    summaryEmbedding: vectors ? new Float32Array(fakeEmbedding(summary, DIMS)) : null,
    lessonEmbeddings: [],
    embeddingModel: vectors ? embedder.model : null,
  };
}

async function withEpisodes(
  vectors: boolean,
  run: (store: Store, indexes: RecallIndexes, ids: Record<string, number>) => Promise<void>,
) {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(":memory:");
    const ids = {
      postgres: store.episodes.add(
        episode("We tuned Postgres autovacuum on the orders table", 10, vectors),
      ),
      nas: store.episodes.add(episode("We discussed the NAS backup to Backblaze", 1, vectors)),
      garden: store.episodes.add(episode("We planned tomatoes for the garden beds", 1, vectors)),
    };
    const options = {
      indexDir: `${dir}/index`,
      vectorModel: vectors ? embedder.model : null,
      logger: silentLogger,
    };
    const episodes = (await openCollectionIndex(store, episodesSource(store), options)).index;
    await run(store, { documents: null, episodes, procedures: null }, ids);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const CHAT = { tool: "answer", mode: "chat", scope: "all" } as const;

for (const vectors of [false, true]) {
  const how = vectors ? "hybrid" : "by keywords";
  Deno.test(`recall() ${how}: the relevant old session, not the unrelated new ones`, async () => {
    await withEpisodes(vectors, async (store, indexes, ids) => {
      const result = await recall("How do I tune Postgres autovacuum?", CHAT, {
        store,
        indexes,
        embedder: vectors ? embedder : null,
        now: NOW,
      });
      assert.equal(result.hybrid, vectors);
      assert.deepEqual(result.episodes.map((e) => e.episode.id), [ids.postgres]);
    });
  });

  Deno.test(`recall() ${how}: nothing for a topic never discussed, even in recall mode`, async () => {
    await withEpisodes(vectors, async (store, indexes) => {
      const result = await recall(
        "What did we discuss about Kubernetes ingress?",
        { tool: "answer", mode: "recall", scope: "session" },
        { store, indexes, embedder: vectors ? embedder : null, now: NOW },
      );
      assert.deepEqual(result.episodes, []);
    });
  });
}

Deno.test("recall() for a past conversation without a topic brings the newest sessions, newest first", async () => {
  await withEpisodes(false, async (store, indexes, ids) => {
    const result = await recall(
      "What did we talk about yesterday?",
      { tool: "answer", mode: "recall", scope: "session" },
      { store, indexes, embedder: null, now: NOW },
    );
    assert.deepEqual(result.episodes.map((e) => e.episode.id), [ids.garden, ids.nas, ids.postgres]);
    assert.ok(result.episodes.every((e) => e.kind === "recent"));
  });
});
