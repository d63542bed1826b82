/**
 * Cold start, in a fresh process: load a snapshot and answer one hybrid query, then print
 * one JSON line (load and query times, RSS). The parent times process start → exit.
 *
 * deno run -A retrieval_cold.ts ours|stock SNAPSHOT QUERY_JSON
 */

import { HybridIndex } from "../../lib/search/mod.ts";
import { loadStock, stockHybrid } from "./retrieval_engines.ts";

const [engine, path, queryPath] = Deno.args;
const start = performance.now();
const query = JSON.parse(await Deno.readTextFile(queryPath!)) as { text: string; vector: number[] };
let ids: number[];
let loadedAt: number;
if (engine === "ours") {
  const loaded = await HybridIndex.loadSnapshot(path!);
  if (!loaded) throw new Error(`no usable snapshot at ${path}`);
  loadedAt = performance.now();
  ids = loaded.index.search({ text: query.text, vector: query.vector, limit: 10 }).map((h) => h.id);
} else {
  const db = await loadStock(path!);
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
