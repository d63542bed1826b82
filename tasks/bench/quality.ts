/**
 * Quality benchmark: how often search finds the right page. Builds a library from Debian's
 * `python3-doc` HTML with the project's own ingestion (extraction, cleaning, chunking, the
 * store, the library index) in a temporary home, embeds it in process with Universal
 * Sentence Encoder lite (npm), runs the questions of quality_queries.json and prints hit@1,
 * hit@5 and MRR@10 per query kind for keyword-only, vector-only and hybrid search.
 *
 * `deno task bench quality [--json] [--queries=FILE]`; quality_queries_heldout.json holds 21
 * questions the fusion rule was not tuned on, and quality_queries_heldout2.json 30 more, on
 * modules neither other set uses, written after the rule was merged. Embeddings are cached (by text hash) in
 * `$TMPDIR/mycoswarm-bench-quality/`, so only the first run pays for the model.
 */

import { parseArgs } from "node:util";
import { silentLogger, systemClock } from "../../lib/core/mod.ts";
import { ingestPaths, openLibraryIndex } from "../../lib/memory/mod.ts";
import type { SearchMode } from "../../lib/search/mod.ts";
import { Store } from "../../lib/store/mod.ts";
import { pageName, pythonDocPages } from "./quality_corpus.ts";
import { CachedUseLite, USE_LITE_MODEL } from "./quality_embedder.ts";

const DEFAULT_QUERIES = new URL("./quality_queries.json", import.meta.url).pathname;
const MODES: readonly SearchMode[] = ["bm25", "vector", "hybrid"];
const KINDS = ["natural", "keyword", "paraphrase"] as const;
const CUTOFF = 10;
/** The whole run (ingest included) stops after this long. */
const RUN_BUDGET_MS = 30 * 60_000;

type Kind = typeof KINDS[number];
interface Question {
  query: string;
  kind: Kind;
  /** Pages that answer it, as `library/shutil.html`. */
  pages: string[];
}
interface Scores {
  queries: number;
  hit1: number;
  hit5: number;
  mrr10: number;
}

/** Runs the benchmark; prints a table, or one JSON object with `--json`. */
export async function benchQuality(args: readonly string[] = Deno.args): Promise<void> {
  const { values } = parseArgs({
    args: args.filter((a) => a.startsWith("--")) as string[],
    options: { json: { type: "boolean" }, queries: { type: "string" } },
    strict: false,
  });
  const signal = AbortSignal.timeout(RUN_BUDGET_MS);
  let questions: Question[], pages: string[];
  try {
    questions = await readQuestions(String(values.queries ?? DEFAULT_QUERIES));
    ({ pages } = await pythonDocPages());
  } catch (error) {
    console.error(`bench quality: ${(error as Error).message}`);
    Deno.exit(1);
  }
  const workDir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/mycoswarm-bench-quality`;
  await Deno.mkdir(workDir, { recursive: true });
  const embedder = new CachedUseLite(`${workDir}/${USE_LITE_MODEL}.vectors`);
  const home = await Deno.makeTempDir({ dir: workDir, prefix: "home-" });
  try {
    using store = Store.open(`${home}/memory.db`);
    const started = performance.now();
    const summary = await ingestPaths(pages, { store, embedder, clock: systemClock, signal });
    await embedder.flush();
    if (summary.stoppedEarly) throw new Error(`ingest stopped: ${summary.stoppedEarly}`);
    const { index } = await openLibraryIndex(store, {
      indexDir: `${home}/index`,
      vectorModel: USE_LITE_MODEL,
      logger: silentLogger,
    });
    const ingestMs = performance.now() - started;
    const embeddedByModel = embedder.computed;
    const ranked: Record<SearchMode, number[]> = { bm25: [], vector: [], hybrid: [] };
    for (const q of questions) {
      signal.throwIfAborted();
      const [vector] = await embedder.embed([q.query]);
      for (const mode of MODES) {
        const hits = index.search({ text: q.query, vector: vector!, mode, limit: CUTOFF });
        const rows = store.library.chunksByIds(hits.map((h) => h.id));
        const at = rows.findIndex((r) => q.pages.includes(pageName(r.source)));
        ranked[mode].push(at === -1 ? 0 : at + 1);
      }
    }
    await embedder.flush();
    const table = Object.fromEntries(
      MODES.map((mode) => [mode, scoresByKind(questions, ranked[mode])]),
    );
    const result = {
      corpus: { pages: pages.length, chunks: summary.chunks, failed: summary.failed },
      ingest: { ms: Math.round(ingestMs), embeddedByModel },
      model: USE_LITE_MODEL,
      scores: table,
      ranks: questions.map((q, i) => ({
        query: q.query,
        kind: q.kind,
        ...Object.fromEntries(MODES.map((mode) => [mode, ranked[mode][i]])),
      })),
    };
    if (values.json) console.log(JSON.stringify(result));
    else printTable(result.corpus, result.ingest, table);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function readQuestions(path: string): Promise<Question[]> {
  let parsed: Question[];
  try {
    parsed = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Error(`cannot read the questions in ${path}: ${(error as Error).message}`);
  }
  for (const q of parsed) {
    if (!KINDS.includes(q.kind) || !q.query || !q.pages?.length) {
      throw new Error(`${path}: each question needs a query, a kind (${KINDS}) and pages`);
    }
  }
  return parsed;
}

/** hit@1, hit@5 and MRR@10 for each kind and over all, from each question's rank (0: missed). */
function scoresByKind(questions: readonly Question[], ranks: readonly number[]) {
  const score = (keep: (q: Question) => boolean): Scores => {
    const r = ranks.filter((_, i) => keep(questions[i]!));
    const mean = (f: (rank: number) => number) => r.reduce((s, x) => s + f(x), 0) / (r.length || 1);
    return {
      queries: r.length,
      hit1: mean((x) => x === 1 ? 1 : 0),
      hit5: mean((x) => x >= 1 && x <= 5 ? 1 : 0),
      mrr10: mean((x) => x >= 1 && x <= CUTOFF ? 1 / x : 0),
    };
  };
  return {
    ...Object.fromEntries(KINDS.map((k) => [k, score((q) => q.kind === k)])),
    all: score(() => true),
  } as Record<Kind | "all", Scores>;
}

function printTable(
  corpus: { pages: number; chunks: number; failed: number },
  ingest: { ms: number; embeddedByModel: number },
  table: Record<string, Record<string, Scores>>,
): void {
  console.log(
    `quality: python3-doc, ${corpus.pages} pages → ${corpus.chunks} chunks ` +
      `(${corpus.failed} failed); ingest ${(ingest.ms / 1000).toFixed(1)} s ` +
      `(${ingest.embeddedByModel} chunks embedded by ${USE_LITE_MODEL}, the rest from its cache)`,
  );
  const f = (n: number) => n.toFixed(2).replace(/^0/, "").padStart(5);
  console.log(
    `${"mode".padEnd(8)}${"kind".padEnd(12)}${"n".padStart(4)}  hit@1  hit@5  MRR@10`,
  );
  for (const [mode, byKind] of Object.entries(table)) {
    for (const [kind, s] of Object.entries(byKind)) {
      console.log(
        `${mode.padEnd(8)}${kind.padEnd(12)}${String(s.queries).padStart(4)}  ${f(s.hit1)}  ${
          f(s.hit5)
        }  ${f(s.mrr10)}`,
      );
    }
  }
}

if (import.meta.main) await benchQuality();
