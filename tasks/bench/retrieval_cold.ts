/**
 * Cold start, in a fresh process: load a snapshot and answer one hybrid query, then print
 * one JSON line (load and query times, RSS). The parent times process start → exit.
 *
 * deno run -A retrieval_cold.ts ours|stock SNAPSHOT QUERY_JSON
 *
 * To measure our cold start alone, without the full benchmark (and stock Orama's long
 * build), `build` writes our snapshot of SIZE synthetic chunks and the query to DIR:
 *
 * deno run -A retrieval_cold.ts build SIZE DIR   # then: ours DIR/ours-SIZE.snapshot DIR/query.json
 */

import { HybridIndex } from "../../lib/search/mod.ts";
import { loadStock, ourEngine, stockHybrid } from "./retrieval_engines.ts";
import { SyntheticLibrary } from "./retrieval_data.ts";

const BATCH = 1000;

async function build(size: number, dir: string): Promise<void> {
  const lib = new SyntheticLibrary();
  const query = lib.query(0);
  await Deno.writeTextFile(
    `${dir}/query.json`,
    JSON.stringify({ text: query.text, vector: Array.from(query.vector) }),
  );
  const engine = ourEngine();
  for (let first = 1; first <= size; first += BATCH) {
    const count = Math.min(BATCH, size - first + 1);
    engine.add(Array.from({ length: count }, (_, i) => lib.chunk(first + i)));
  }
  const bytes = await engine.save(`${dir}/ours-${size}.snapshot`);
  console.log(JSON.stringify({ path: `${dir}/ours-${size}.snapshot`, bytes }));
}

async function answer(engine: string, path: string, queryPath: string): Promise<void> {
  const start = performance.now();
  const query = JSON.parse(await Deno.readTextFile(queryPath)) as {
    text: string;
    vector: number[];
  };
  let ids: number[];
  let loadedAt: number;
  if (engine === "ours") {
    const loaded = await HybridIndex.loadSnapshot(path);
    if (loaded.status !== "loaded") {
      throw new Error(`no usable snapshot at ${path}: ${JSON.stringify(loaded)}`);
    }
    loadedAt = performance.now();
    ids = loaded.index.search({ text: query.text, vector: query.vector, limit: 10 })
      .map((h) => h.id);
  } else {
    const db = await loadStock(path);
    loadedAt = performance.now();
    ids = stockHybrid(db, query.text, query.vector, 10);
  }
  const answeredAt = performance.now();
  console.log(JSON.stringify({
    sinceProcessStart: answeredAt, // performance.now() counts from the process's time origin
    loadMs: loadedAt - start,
    queryMs: answeredAt - loadedAt,
    hits: ids.length,
    rss: Deno.memoryUsage().rss,
  }));
}

const [command, a, b] = Deno.args;
if (command === "build") await build(Number(a), b!);
else await answer(command!, a!, b!);
