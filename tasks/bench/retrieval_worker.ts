/**
 * One engine, one library size, in its own process (so engines never share a heap): builds
 * the synthetic library, times the queries, measures recall and memory, writes a snapshot,
 * and prints one JSON line of results per phase on stdout.
 *
 * deno run --v8-flags=--expose-gc -A retrieval_worker.ts ours|stock SIZE QUERIES DIR
 */

import { type Engine, ourEngine, stockEngine } from "./retrieval_engines.ts";
import { type SyntheticItem, SyntheticLibrary } from "./retrieval_data.ts";

const BATCH = 1000;
const LIMIT = 10;
/** Each timed query loop stops after this long, whatever the query count. */
const LOOP_BUDGET_MS = 90_000;

/** The exact top-k ids of each query over every vector seen, by brute force. */
class ExactTop {
  readonly ids: number[] = [];
  readonly scores: number[] = [];
  constructor(readonly k: number) {}
  offer(id: number, score: number): void {
    if (this.ids.length === this.k && score <= this.scores[this.k - 1]!) return;
    let i = this.ids.length;
    while (i > 0 && this.scores[i - 1]! < score) i--;
    this.ids.splice(i, 0, id), this.scores.splice(i, 0, score);
    if (this.ids.length > this.k) this.ids.pop(), this.scores.pop();
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < a.length; i += 4) {
    s0 += a[i]! * b[i]!, s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!, s3 += a[i + 3]! * b[i + 3]!;
  }
  return s0 + s1 + s2 + s3;
}

function timeLoop(queries: SyntheticItem[], fn: (q: SyntheticItem) => unknown): number[] {
  const times: number[] = [];
  const deadline = performance.now() + LOOP_BUDGET_MS;
  for (const q of queries) {
    const start = performance.now();
    fn(q);
    times.push(performance.now() - start);
    if (performance.now() > deadline) break;
  }
  return times;
}

function memory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.(), gc?.();
  const { rss, heapUsed, external } = Deno.memoryUsage();
  return { rss, heapUsed, external };
}

async function main(): Promise<void> {
  const [name, sizeArg, queriesArg, dir] = Deno.args;
  const size = Number(sizeArg), queryCount = Number(queriesArg);
  if ((name !== "ours" && name !== "stock") || !(size > 0) || !(queryCount > 0) || !dir) {
    throw new Error("usage: retrieval_worker.ts ours|stock SIZE QUERIES DIR");
  }
  const lib = new SyntheticLibrary();
  const queries = Array.from({ length: queryCount }, (_, i) => lib.query(i));
  await Deno.writeTextFile(
    `${dir}/query.json`,
    JSON.stringify({ text: queries[0]!.text, vector: Array.from(queries[0]!.vector) }),
  );
  const exact = name === "ours" ? queries.map(() => new ExactTop(LIMIT)) : [];
  const baseline = memory();
  const engine: Engine = name === "ours" ? ourEngine() : stockEngine();

  let buildMs = 0;
  for (let first = 1; first <= size; first += BATCH) {
    const batch = Array.from(
      { length: Math.min(BATCH, size - first + 1) },
      (_, i) => lib.chunk(first + i),
    );
    const start = performance.now();
    engine.add(batch);
    buildMs += performance.now() - start;
    for (const chunk of batch) {
      exact.forEach((top, q) => top.offer(chunk.id, dot(queries[q]!.vector, chunk.vector)));
    }
  }
  const built = memory();

  for (const q of queries.slice(0, 10)) engine.hybrid(q, LIMIT); // warm up the JIT
  const hybrid = timeLoop(queries, (q) => engine.hybrid(q, LIMIT));
  const bm25 = timeLoop(queries, (q) => engine.bm25(q, LIMIT));
  const found: number[][] = [];
  const vector = timeLoop(queries, (q) => found.push(engine.vector(q, LIMIT)));
  let hits = 0;
  found.forEach((ids, q) =>
    hits += exact[q] ? ids.filter((id) => exact[q]!.ids.includes(id)).length : 0
  );
  const recall = exact.length ? hits / (found.length * LIMIT) : null;
  console.log(
    JSON.stringify({ phase: "query", buildMs, hybrid, bm25, vector, recall, baseline, built }),
  );

  const path = `${dir}/${name}-${size}.snapshot`;
  try {
    const start = performance.now();
    const bytes = await engine.save(path);
    console.log(
      JSON.stringify({ phase: "snapshot", path, bytes, saveMs: performance.now() - start }),
    );
  } catch (error) {
    await Deno.remove(path).catch(() => {});
    console.log(
      JSON.stringify({ phase: "snapshot", path: null, error: String(error).slice(0, 120) }),
    );
  }
}

if (import.meta.main) await main();
