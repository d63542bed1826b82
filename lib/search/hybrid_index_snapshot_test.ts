import assert from "node:assert/strict";
import { join } from "node:path";
import { isMycoError, seededRandom as mulberry32 } from "../core/mod.ts";
import { format1Snapshot } from "../../testing/format1_snapshot.ts";
import { readSnapshotFile, type SnapshotSection, writeSnapshotFile } from "./_snapshot_file.ts";
import {
  HybridIndex,
  type IndexItem,
  type SearchQuery,
  type SnapshotLoad,
} from "./hybrid_index.ts";

const WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima".split(" ");
const DIMS = 16;

/** 3,000 items: enough rows for the vector store's two-stage (sketch) search. */
function items(count = 3000, seed = 7): IndexItem[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    text: Array.from({ length: 12 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" "),
    vector: Array.from({ length: DIMS }, () => random() * 2 - 1),
  }));
}

function queries(): SearchQuery[] {
  const random = mulberry32(99);
  const vector = () => Array.from({ length: DIMS }, () => random() * 2 - 1);
  return [
    { text: "alpha golf", limit: 20 },
    { text: "kilo", vector: vector(), limit: 20 },
    { vector: vector(), mode: "vector", limit: 20 },
    { text: "delta echo lima", vector: vector(), mode: "hybrid", limit: 50 },
  ];
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "search_snapshot_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function saved(dir: string, index = new HybridIndex()): Promise<string> {
  if (index.size === 0) index.add(items(200));
  const path = join(dir, "docs.snapshot");
  await index.saveSnapshot(path, 42);
  return path;
}

/** The index loaded from `path`; fails the test when it does not load. */
async function load(path: string) {
  const loaded = await HybridIndex.loadSnapshot(path);
  assert.equal(loaded.status, "loaded", JSON.stringify(loaded));
  return loaded as Extract<SnapshotLoad, { status: "loaded" }>;
}

async function status(path: string): Promise<string> {
  return (await HybridIndex.loadSnapshot(path)).status;
}

Deno.test("HybridIndex snapshot round trip gives identical results and generation", async () => {
  await withDir(async (dir) => {
    const index = new HybridIndex();
    index.add(items());
    index.remove([5, 6, 7]);
    const path = join(dir, "docs.snapshot");
    await index.saveSnapshot(path, 1234);
    const loaded = await load(path);
    assert.equal(loaded.generation, 1234);
    assert.equal(loaded.index.size, index.size);
    assert.equal(loaded.index.vectorCount, index.vectorCount);
    assert.equal(loaded.index.dimensions, DIMS);
    for (const q of queries()) assert.deepEqual(loaded.index.search(q), index.search(q));
    // Still a live index: adds and removes keep working after a load, and a second save
    // of the loaded index (its arrays views into the file read) loads the same.
    loaded.index.remove([1, 2999]);
    loaded.index.add([{ id: 5000, text: "zulu", vector: Array(DIMS).fill(1) }]);
    assert.deepEqual(loaded.index.search({ text: "zulu" }).map((h) => h.id), [5000]);
    assert.equal(loaded.index.has(1), false);
    await loaded.index.saveSnapshot(path, 1235);
    const again = await load(path);
    for (const q of queries()) assert.deepEqual(again.index.search(q), loaded.index.search(q));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["docs.snapshot"]);
  });
});

Deno.test("HybridIndex snapshot of an index without vectors loads as BM25 only", async () => {
  await withDir(async (dir) => {
    const index = new HybridIndex();
    index.add(items(50).map((item) => ({ ...item, vector: null })));
    const path = await saved(dir, index);
    const loaded = await load(path);
    assert.equal(loaded.index.dimensions, null);
    assert.deepEqual(loaded.index.search({ text: "hotel" }), index.search({ text: "hotel" }));
  });
});

Deno.test("HybridIndex.loadSnapshot() tells a missing file from an unreadable one", async () => {
  await withDir(async (dir) => {
    assert.deepEqual(await HybridIndex.loadSnapshot(join(dir, "nope.snapshot")), {
      status: "missing",
    });
    assert.equal(await status(dir), "damaged", "a folder is not a snapshot");
  });
});

Deno.test("HybridIndex.loadSnapshot() finds a truncated snapshot damaged", async () => {
  await withDir(async (dir) => {
    const path = await saved(dir);
    const bytes = await Deno.readFile(path);
    for (const length of [0, 5, 12, 31, 200, bytes.length >> 1, bytes.length - 1]) {
      await Deno.writeFile(path, bytes.subarray(0, length));
      assert.equal(await status(path), "damaged", `truncated to ${length}`);
    }
  });
});

Deno.test("HybridIndex.loadSnapshot() finds a corrupted or garbage file damaged", async () => {
  await withDir(async (dir) => {
    const path = await saved(dir);
    const bytes = await Deno.readFile(path);
    for (const at of [13, 20, 40, bytes.length >> 2, bytes.length >> 1, bytes.length - 3]) {
      const damaged = bytes.slice();
      damaged[at] = damaged[at]! ^ 0x5a;
      await Deno.writeFile(path, damaged);
      assert.equal(await status(path), "damaged", `byte ${at} flipped`);
    }
    await Deno.writeFile(path, new Uint8Array([...bytes, 0, 0, 0, 0, 0, 0, 0, 0]));
    assert.equal(await status(path), "damaged", "trailing bytes");
    const random = mulberry32(3);
    await Deno.writeFile(path, Uint8Array.from({ length: 4096 }, () => random() * 256));
    assert.equal(await status(path), "damaged", "garbage");
    await Deno.writeTextFile(path, '{"format":2}');
    assert.equal(await status(path), "damaged", "JSON");
  });
});

Deno.test("HybridIndex.loadSnapshot() finds whole files whose sections disagree damaged", async () => {
  await withDir(async (dir) => {
    const path = await saved(dir);
    const read = await readSnapshotFile(path);
    assert.ok(read.status === "ok");
    const [meta, ...rest] = read.sections;
    const header = (values: number[]) => ({
      kind: 1,
      bytes: new Uint8Array(Float64Array.from(values).buffer),
    });
    const cases: Record<string, SnapshotSection[]> = {
      "no sections": [],
      "vectors missing": [meta!, ...rest.filter((s) => s.kind === 2)],
      "text missing": [meta!, ...rest.filter((s) => s.kind !== 2)],
      "count wrong": [header([DIMS, 201, 200, 42]), ...rest],
      "vector count wrong": [header([DIMS, 200, 199, 42]), ...rest],
      "dims wrong": [header([DIMS + 1, 200, 200, 42]), ...rest],
      "not a count": [header([DIMS, 200.5, 200, 42]), ...rest],
      "a section twice": [meta!, ...rest, rest.at(-1)!],
    };
    for (const [name, sections] of Object.entries(cases)) {
      await writeSnapshotFile(path, sections);
      assert.equal(await status(path), "damaged", name);
    }
  });
});

Deno.test("HybridIndex.loadSnapshot() names another format version, older or newer", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "docs.snapshot");
    await Deno.writeFile(path, format1Snapshot({ generation: 42 }));
    assert.deepEqual(await HybridIndex.loadSnapshot(path), {
      status: "other-format",
      format: 1,
      older: true,
    });
    await saved(dir);
    const bytes = await Deno.readFile(path);
    for (const [format, older] of [[2, true], [4, false]] as const) {
      new DataView(bytes.buffer).setUint32(8, format, true);
      await Deno.writeFile(path, bytes);
      assert.deepEqual(await HybridIndex.loadSnapshot(path), {
        status: "other-format",
        format,
        older,
      });
    }
  });
});

Deno.test("HybridIndex.saveSnapshot() replaces an old snapshot and fails clearly", async () => {
  await withDir(async (dir) => {
    const path = await saved(dir);
    const index = new HybridIndex();
    index.add([{ id: 1, text: "only one", vector: null }]);
    await index.saveSnapshot(path, 43);
    const loaded = await load(path);
    assert.equal(loaded.generation, 43);
    assert.equal(loaded.index.size, 1);
    await assert.rejects(
      index.saveSnapshot(join(dir, "missing", "x.snapshot"), 1),
      (e) => isMycoError(e, "internal") && e.message.includes("missing"),
    );
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["docs.snapshot"]);
  });
});

Deno.test("HybridIndex.saveSnapshot() writes the index as it was when called, while it changes", async () => {
  await withDir(async (dir) => {
    const index = new HybridIndex();
    index.add(items(3000));
    const path = join(dir, "docs.snapshot");
    const saving = index.saveSnapshot(path, 1);
    index.remove([1, 2, 3]);
    index.add([{ id: 5000, text: "zulu", vector: items(1)[0]!.vector }]);
    await saving;
    const { index: loaded } = await load(path);
    assert.equal(loaded.size, 3000);
    assert.equal(loaded.vectorCount, 3000);
    assert.ok(loaded.has(1) && !loaded.has(5000));
    assert.deepEqual(loaded.search({ text: "zulu" }), []);
  });
});

Deno.test("HybridIndex snapshot keeps CJK, accented, emoji-adjacent and identifier terms", async () => {
  await withDir(async (dir) => {
    const index = new HybridIndex();
    index.add([
      {
        id: 0,
        text: "東京タワーの観光客 café naïve 🎉party __init__ os.path.join C++",
        vector: null,
      },
      { id: -7, text: "e.g. Привет x\u0301y", vector: null },
    ]);
    await index.saveSnapshot(join(dir, "docs.snapshot"), 1);
    const { index: loaded } = await load(join(dir, "docs.snapshot"));
    for (
      const text of ["観光", "cafe", "party", "__init__", "os.path.join", "e.g.", "привет", "xy"]
    ) {
      const ids = (i: HybridIndex) => i.search({ text }).map((h) => h.id);
      assert.deepEqual(ids(loaded), ids(index), text);
      assert.equal(ids(loaded).length, 1, text);
    }
  });
});
