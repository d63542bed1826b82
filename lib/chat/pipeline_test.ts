import assert from "node:assert/strict";
import { systemClock } from "../core/mod.ts";
import { type Embedder, ingestPaths } from "../memory/mod.ts";
import { Store } from "../store/mod.ts";
import { testClient } from "../../testing/model_client.ts";
import { contextBudgetChars, TurnContext } from "./pipeline.ts";

Deno.test("contextBudgetChars() gives half a window of ~4 characters a token to context", () => {
  assert.equal(contextBudgetChars(4096), 8192);
  assert.equal(contextBudgetChars(32768), 65536);
});

Deno.test("TurnContext.useEmbedder() gives every fork the embedder and indexes of that model", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(`${dir}/memory.db`);
    await Deno.writeTextFile(`${dir}/nas.md`, "# Backups\n\nThe NAS backs up photos nightly.\n");
    const embedder: Embedder = {
      model: "nomic-embed-text",
      embed: (texts) => Promise.resolve(texts.map((t) => [t.length, 1, 0])),
    };
    await ingestPaths([`${dir}/nas.md`], { store, embedder, clock: systemClock });
    const turns = new TurnContext({
      store,
      client: testClient("http://127.0.0.1:9"),
      embedder: null,
      clock: systemClock,
      indexDir: `${dir}/index`,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const fork = turns.fork();
    const before = await fork.indexes();
    assert.equal(before.documents!.search({ vector: [1, 1, 0] }).length, 0, "no vectors yet");
    turns.useEmbedder(embedder);
    assert.equal(fork.embedder, embedder, "the fork sees it");
    const after = await fork.indexes();
    assert.notEqual(after.documents, before.documents);
    assert.equal(after.documents!.search({ vector: [40, 1, 0] }).length, 1, "vectors searched");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
