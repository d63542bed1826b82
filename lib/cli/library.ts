/** `mycoswarm library ...`: the document library — ingest, search, list, remove, reindex. */

import { createError, ERROR_CODES } from "../core/mod.ts";
import { resolve } from "node:path";
import { ingestPaths, openLibraryIndex, reindexLibrary, searchLibrary } from "../memory/mod.ts";
import { Store } from "../store/mod.ts";
import { embedderFor } from "../chat/mod.ts";
import { intFlag, parseCommandArgs } from "./_args.ts";
import { type Progress, startProgress } from "./_progress.ts";
import { configFor, modelClientFor, writeJson } from "./_setup.ts";
import type { CliContext, Command } from "./context.ts";
import type { Config } from "../config/mod.ts";

const HELP = `Usage: mycoswarm library <action> [...]

Your own documents, chunked, embedded and searchable by meaning and keywords.

Actions:
  ingest <path>... [--json]      add files or folders (recursive): .md .txt .html .pdf
                                 .csv .json and source code; unchanged files are skipped
  search "<query>" [-n N] [--json]
                                 the best matching passages: source, section, score, snippet
  list [--json]                  the ingested documents
  remove <path|id>... [--json]   forget documents
  reindex [--json]               embed what is not embedded with the current embedding model

Options:
  -n, --limit N   how many search results (default 5, at most 50)
  --json          print JSON instead of text
  -h, --help      show this help

Data lives in $MYCOSWARM_HOME/memory.db; search index snapshots in $MYCOSWARM_HOME/index/.
`;

const ACTIONS = ["ingest", "search", "list", "remove", "reindex"] as const;

export const libraryCommand: Command = {
  name: "library",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("library", argv, {
      json: { type: "boolean" },
      limit: { type: "string", short: "n" },
    }, { maxPositionals: Infinity });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const [action, ...rest] = args.positionals;
    if (action === undefined) {
      throw createError("usage", `library: name an action: ${ACTIONS.join(", ")}`);
    }
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw createError(
        "usage",
        `library: unknown action '${action}' (actions: ${ACTIONS.join(", ")})`,
      );
    }
    const json = args.values.json === true;
    const config = await configFor(ctx);
    using store = Store.open(config.paths.databaseFile);
    switch (action) {
      case "ingest":
        return await ingest(rest, { ctx, config, store, json });
      case "list":
        return list({ ctx, store, json }, rest);
      case "remove":
        return remove(rest, { ctx, store, json });
      case "search": {
        const limit = intFlag("library search", args.values, "limit", {
          min: 1,
          max: 50,
          default: 5,
          flag: "-n",
        });
        return await search(rest, { ctx, config, store, json }, limit);
      }
      default:
        return await reindex(rest, { ctx, config, store, json });
    }
  },
};

interface ActionDeps {
  ctx: CliContext;
  config: Config;
  store: Store;
  json: boolean;
}

async function ingest(paths: string[], { ctx, config, store, json }: ActionDeps) {
  if (paths.length === 0) {
    throw createError("usage", "library ingest: name files or folders, e.g. ~/notes");
  }
  const { embedder, problem } = await embedderFor(modelClientFor(config, ctx));
  if (embedder === null) {
    ctx.stderr.write(
      `warning: ${problem}.\nChunks are stored for keyword search only; run ` +
        "`mycoswarm library reindex` once an embedding model is available.\n",
    );
  }
  // The bar starts once the walk has counted the files.
  let progress = null as Progress | null;
  const controller = new AbortController();
  const stopInterrupts = ctx.onInterrupt(() => controller.abort());
  let summary;
  try {
    summary = await ingestPaths(paths, {
      store,
      embedder,
      clock: ctx.clock,
      signal: controller.signal,
      onProgress: (p) => {
        if (json) return;
        progress ??= startProgress(ctx, p.filesTotal, {
          format: "{bar} {value}/{total} files | {chunks} chunks | ETA {eta_formatted} | {file}",
          fields: { chunks: 0, file: "" },
          plainEvery: Math.max(1, Math.ceil(p.filesTotal / 20)),
        });
        progress.update(p.filesDone, {
          chunks: p.chunksDone,
          file: p.current ? shortName(p.current) : "",
        });
      },
      onItem: (item) => {
        if (json || (item.status !== "skipped" && item.status !== "failed")) return;
        const line = `${item.status}: ${item.path}: ${item.reason}`;
        if (progress) progress.log(line);
        else ctx.stderr.write(`${line}\n`);
      },
    });
  } finally {
    stopInterrupts();
    progress?.stop();
  }
  if (json) writeJson(ctx, summary);
  else {
    ctx.stdout.write(
      `Ingested ${summary.ingested} files (${summary.chunks} chunks), ` +
        `${summary.unchanged} unchanged, ${summary.skipped} skipped, ${summary.failed} failed` +
        `${summary.embeddingModel ? ` · embedded with ${summary.embeddingModel}` : ""}.\n`,
    );
  }
  if (summary.stoppedEarly) {
    ctx.stderr.write(
      `Stopped early: ${summary.stoppedEarly}\nWhat was ingested is kept; run the same ` +
        "command again to finish the rest.\n",
    );
    return summary.stoppedEarly === "interrupted"
      ? ERROR_CODES.interrupted.exit
      : ERROR_CODES.model_failed.exit;
  }
  return summary.failed > 0 ? 1 : 0;
}

async function search(words: string[], deps: ActionDeps, limit: number) {
  const { ctx, config, store, json } = deps;
  const query = words.join(" ").trim();
  if (query === "") throw createError("usage", 'library search: give a query, e.g. "backup plan"');
  const { embedder, problem } = await embedderFor(modelClientFor(config, ctx));
  const { index } = await openLibraryIndex(store, {
    indexDir: config.paths.indexDir,
    vectorModel: embedder?.model ?? mostUsedModel(store),
    logger: ctx.logger,
  });
  const result = await searchLibrary(query, {
    store,
    index,
    embedder,
    ...(problem ? { embedderProblem: problem } : {}),
  }, { limit });
  for (const note of result.notes) ctx.stderr.write(`note: ${note}\n`);
  if (json) {
    writeJson(ctx, {
      query,
      mode: result.mode,
      hits: result.hits.map(({ text: _text, ...hit }) => hit),
    });
    return 0;
  }
  if (result.hits.length === 0) {
    ctx.stdout.write(
      store.library.stats().chunks === 0
        ? "The library is empty. Add documents: mycoswarm library ingest <path>\n"
        : `Nothing found for "${query}".\n`,
    );
    return 0;
  }
  result.hits.forEach((hit, i) => {
    const where = hit.section ? `${hit.source} › ${hit.section}` : hit.source;
    ctx.stdout.write(`${i + 1}. ${where}  (score ${hit.score.toFixed(4)})\n   ${hit.snippet}\n`);
  });
  return 0;
}

/** With no embedding model reachable, search by keywords in the index of the most used model. */
function mostUsedModel(store: Store): string | null {
  const models = store.library.embeddingModels().filter((m) => m.model !== null);
  return models.sort((a, b) => b.chunks - a.chunks)[0]?.model ?? null;
}

async function reindex(extra: string[], { ctx, config, store, json }: ActionDeps) {
  if (extra.length > 0) throw createError("usage", `library reindex: unexpected '${extra[0]}'`);
  const { embedder, problem } = await embedderFor(modelClientFor(config, ctx));
  if (embedder === null) throw createError("no_model", `Cannot reindex: ${problem}`);
  let progress = null as Progress | null;
  const controller = new AbortController();
  const stopInterrupts = ctx.onInterrupt(() => controller.abort());
  let summary;
  try {
    summary = await reindexLibrary(store, embedder, {
      signal: controller.signal,
      onProgress: (done, total) => {
        if (json || total === 0) return;
        progress ??= startProgress(ctx, total, {
          format: "{bar} {value}/{total} chunks | ETA {eta_formatted}",
          plainEvery: Math.max(1, Math.ceil(total / 20)),
        });
        progress.update(done);
      },
    });
  } finally {
    stopInterrupts();
    progress?.stop();
  }
  if (json) writeJson(ctx, summary);
  else ctx.stdout.write(`Embedded ${summary.embedded} chunks with ${summary.model}.\n`);
  if (summary.stoppedEarly) {
    ctx.stderr.write(
      `Stopped early: ${summary.stoppedEarly}\n${summary.remaining} chunks are left; run ` +
        "`mycoswarm library reindex` again to finish.\n",
    );
    return summary.stoppedEarly === "interrupted"
      ? ERROR_CODES.interrupted.exit
      : ERROR_CODES.model_failed.exit;
  }
  return 0;
}

function list({ ctx, store, json }: Omit<ActionDeps, "config">, extra: string[]) {
  if (extra.length > 0) throw createError("usage", `library list: unexpected '${extra[0]}'`);
  const documents = store.library.listDocuments();
  if (json) {
    writeJson(ctx, { documents, embedding_models: store.library.embeddingModels() });
    return 0;
  }
  if (documents.length === 0) {
    ctx.stdout.write("The library is empty. Add documents: mycoswarm library ingest <path>\n");
    return 0;
  }
  for (const d of documents) {
    ctx.stdout.write(
      `${String(d.id).padStart(5)}  ${String(d.chunk_count).padStart(5)} chunks  ` +
        `${d.doc_type.padEnd(8)}  ${d.source}\n`,
    );
  }
  const stats = store.library.stats();
  ctx.stdout.write(`${stats.documents} documents, ${stats.chunks} chunks\n`);
  return 0;
}

function remove(targets: string[], { ctx, store, json }: Omit<ActionDeps, "config">) {
  if (targets.length === 0) throw createError("usage", "library remove: name a path or an id");
  const results = targets.map((target) => {
    const key = /^\d+$/.test(target) ? Number(target) : resolve(target);
    const removed = store.library.removeDocument(key);
    return {
      target,
      removed: removed?.document.source ?? null,
      chunks: removed?.removed.length ?? 0,
    };
  });
  if (json) writeJson(ctx, results);
  else {
    for (const r of results) {
      ctx.stdout.write(
        r.removed
          ? `Removed ${r.removed} (${r.chunks} chunks)\n`
          : `Not in the library: ${r.target}\n`,
      );
    }
  }
  return results.every((r) => r.removed) ? 0 : ERROR_CODES.not_found.exit;
}

function shortName(path: string): string {
  return path.length > 40 ? `…${path.slice(-39)}` : path;
}
