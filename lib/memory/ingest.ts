/**
 * `library ingest`: files → text → clean → chunks → embeddings → one
 * transaction per file. A file that cannot be read is skipped with its reason
 * and the rest goes on; a model server that fails stops the run, keeping what
 * was committed, so running it again finishes the rest.
 */

import { type Clock, isMycoError } from "../core/mod.ts";
import type { NewChunk, Store } from "../store/mod.ts";
import { chunkDocument } from "./chunk_text.ts";
import { cleanDocument } from "./clean_text.ts";
import { contentHash } from "./content_hash.ts";
import { type Embedder, embedInBatches } from "./embedder.ts";
import { extractDocument } from "./extract_text.ts";
import { findFiles, reasonOf } from "./find_files.ts";

/** Files larger than this are skipped (a 200 MB log is not a document). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** What happened to one file. */
export interface IngestItem {
  /** The file, as given or found under a given folder. */
  path: string;
  /** What became of it: unchanged files (same content hash) are not read again. */
  status: "ingested" | "unchanged" | "skipped" | "failed";
  /** Chunks stored, for an ingested file. */
  chunks?: number;
  /** Why it was skipped or failed, one line for people. */
  reason?: string;
}

/** Progress, reported after each file and each embedding batch. */
export interface IngestProgress {
  /** Files finished so far. */
  filesDone: number;
  /** Files in the run, for a progress bar. */
  filesTotal: number;
  /** Chunks embedded and stored so far. */
  chunksDone: number;
  /** The file being read, or null between files. */
  current: string | null;
}

/** The result of a run. */
export interface IngestSummary {
  /** Files stored new or changed. */
  ingested: number;
  /** Files already stored with the same content. */
  unchanged: number;
  /** Files of a kind the library does not read, or too large. */
  skipped: number;
  /** Files that could not be read or parsed. */
  failed: number;
  /** Chunks stored in the run. */
  chunks: number;
  /** What happened to each file, in order. */
  items: IngestItem[];
  /** The embedding model used, or null when chunks were stored for keyword search only. */
  embeddingModel: string | null;
  /** Set when the run stopped early (the model server failed); what was committed stays. */
  stoppedEarly: string | null;
}

/** What {@linkcode ingestPaths} needs. */
export interface IngestDeps {
  /** Where documents and chunks are stored. */
  store: Store;
  /** null: store chunks without vectors (keyword search only). */
  embedder: Embedder | null;
  /** Dates the ingestion, injectable for tests. */
  clock: Clock;
  /** Told after each file and batch, to draw progress. */
  onProgress?: (progress: IngestProgress) => void;
  /** Told about each file as it finishes. */
  onItem?: (item: IngestItem) => void;
  /** Larger files are skipped, so one huge file cannot stall a run. @default MAX_FILE_BYTES */
  maxFileBytes?: number;
  /** Stops the run between files and batches; what was committed stays. */
  signal?: AbortSignal;
}

/** Ingests files and folders into the library. */
export async function ingestPaths(
  paths: readonly string[],
  deps: IngestDeps,
): Promise<IngestSummary> {
  const summary: IngestSummary = {
    ingested: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    chunks: 0,
    items: [],
    embeddingModel: deps.embedder?.model ?? null,
    stoppedEarly: null,
  };
  const record = (item: IngestItem) => {
    summary.items.push(item);
    summary[item.status]++;
    deps.onItem?.(item);
  };
  const found = await findFiles(paths);
  const files = found.filter((f) => f.kind === "file");
  for (const f of found) {
    if (f.kind === "error") record({ path: f.path, status: "failed", reason: f.reason });
    if (f.kind === "unsupported" && f.explicit) {
      record({ path: f.path, status: "skipped", reason: "unsupported file type" });
    }
  }
  const progress: IngestProgress = {
    filesDone: 0,
    filesTotal: files.length,
    chunksDone: 0,
    current: null,
  };
  for (const file of files) {
    if (deps.signal?.aborted) {
      summary.stoppedEarly = "interrupted";
      break;
    }
    progress.current = file.path;
    deps.onProgress?.({ ...progress });
    try {
      const item = await ingestFile(file.path, deps, (n) => {
        deps.onProgress?.({ ...progress, chunksDone: progress.chunksDone + n });
      });
      record(item);
      if (item.status === "ingested") {
        summary.chunks += item.chunks ?? 0;
        progress.chunksDone += item.chunks ?? 0;
      }
    } catch (error) {
      if (isMycoError(error) && error.code.startsWith("model")) {
        summary.stoppedEarly = error.message;
        break; // the server is gone: every later file would fail the same way
      }
      if (deps.signal?.aborted) {
        summary.stoppedEarly = "interrupted";
        break;
      }
      record({ path: file.path, status: "failed", reason: reasonOf(error) });
    }
    progress.filesDone++;
    deps.onProgress?.({ ...progress, current: null });
  }
  return summary;
}

async function ingestFile(
  path: string,
  deps: IngestDeps,
  onChunks: (embedded: number) => void,
): Promise<IngestItem> {
  const info = await Deno.stat(path);
  const limit = deps.maxFileBytes ?? MAX_FILE_BYTES;
  if (info.size > limit) {
    return { path, status: "skipped", reason: `too large (${mb(info.size)}; limit ${mb(limit)})` };
  }
  const bytes = await Deno.readFile(path);
  const hash = await contentHash(bytes);
  const existing = deps.store.library.documentBySource(path);
  if (existing?.content_hash === hash && embeddedWith(deps, existing.id)) {
    return { path, status: "unchanged", chunks: existing.chunk_count };
  }
  let document;
  try {
    document = await extractDocument(path, bytes);
  } catch (error) {
    if (isMycoError(error, "invalid_input")) {
      return { path, status: "skipped", reason: error.message.replace(`${path}: `, "") };
    }
    throw error;
  }
  const pieces = chunkDocument(cleanDocument(document));
  if (pieces.length === 0) return { path, status: "skipped", reason: "no text after cleaning" };
  const vectors = deps.embedder
    ? await embedInBatches(deps.embedder, pieces.map((p) => p.text), {
      onBatch: onChunks,
      ...(deps.signal ? { signal: deps.signal } : {}),
    })
    : null;
  const model = deps.embedder?.model ?? null;
  const chunks: NewChunk[] = pieces.map((p, i) => ({
    position: p.position,
    section: p.section,
    text: p.text,
    embedding: vectors?.[i] ?? null,
    embeddingModel: model,
  }));
  deps.store.library.replaceDocument({
    source: path,
    title: document.title,
    doc_type: document.docType,
    content_hash: hash,
    size_bytes: info.size,
    file_date: info.mtime?.toISOString() ?? null,
    ingested_at: new Date(deps.clock.now()).toISOString(),
  }, chunks);
  return { path, status: "ingested", chunks: chunks.length };
}

/** True when the document's chunks already carry vectors of the current model (or none is wanted). */
function embeddedWith(deps: IngestDeps, documentId: number): boolean {
  if (deps.embedder === null) return true;
  return deps.store.library.documentEmbeddedWith(documentId, deps.embedder.model);
}

function mb(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
