import assert from "node:assert/strict";
import { type Logger, systemClock } from "../core/mod.ts";
import { Store } from "../store/mod.ts";
import { ingestPaths } from "./ingest.ts";
import { RecallIndexSet } from "./recall_indexes.ts";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

async function ingest(store: Store, dir: string, name: string, text: string) {
  await Deno.writeTextFile(`${dir}/${name}`, text);
  await ingestPaths([`${dir}/${name}`], { store, embedder: null, clock: systemClock });
}

Deno.test("RecallIndexSet finds what another connection wrote after it opened", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using mine = Store.open(`${dir}/memory.db`);
    using other = Store.open(`${dir}/memory.db`); // as another process would
    await ingest(other, dir, "nas.md", "# Backups\n\nThe NAS backs up photos nightly.\n");
    const set = new RecallIndexSet(mine, {
      indexDir: `${dir}/index`,
      vectorModel: null,
      logger: quiet,
    });
    const first = await set.current();
    assert.equal(first.documents!.search({ text: "photos" }).length, 1);
    assert.equal(first.documents!.search({ text: "tomatoes" }).length, 0);

    // Written by the other connection: replayed from the log on the next call.
    await ingest(other, dir, "garden.md", "# Garden\n\nTomatoes need staking in June.\n");
    const second = await set.current();
    assert.equal(second.documents, first.documents, "the same index, brought up to date");
    assert.equal(second.documents!.search({ text: "tomatoes" }).length, 1);

    // The other process compacted the log past us (as after saving its snapshot): reopened.
    await ingest(other, dir, "oyster.md", "# Harvest\n\nPick oyster mushrooms early.\n");
    const latest = other.indexLog.lastSeq("documents");
    other.indexLog.compact("documents", latest);
    assert.equal(other.indexLog.canReplayFrom("documents", latest - 1), false);
    const third = await set.current();
    assert.equal(third.documents!.search({ text: "oyster" }).length, 1);
    assert.equal(third.documents!.search({ text: "tomatoes" }).length, 1);
    assert.equal(third.documents!.search({ text: "photos" }).length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("RecallIndexSet: calls at once share one catch-up and agree", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using store = Store.open(`${dir}/memory.db`);
    const set = new RecallIndexSet(store, {
      indexDir: `${dir}/index`,
      vectorModel: null,
      logger: quiet,
    });
    await set.current();
    await ingest(store, dir, "a.md", "# A\n\nAlpha paragraph about spores.\n");
    const [x, y] = await Promise.all([set.current(), set.current()]);
    assert.equal(x.documents, y.documents);
    assert.equal(x.documents!.search({ text: "spores" }).length, 1);
    assert.equal(x.documents!.size, 1, "the change was applied once");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
