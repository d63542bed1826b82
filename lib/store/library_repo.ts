/** Documents and their chunks: the document library's rows. */

import { type Database, transaction } from "./database.ts";
import type { IndexLog } from "./index_log.ts";
import { blobToVector, vectorToBlob } from "./vectors.ts";

/** An ingested document. */
export interface DocumentRow {
  /** Assigned by the store. */
  id: number;
  /** The path it was ingested from, unique in the library. */
  source: string;
  /** Its front matter title, `<title>` or first heading; else the file name. */
  title: string;
  /** The format it was read as, e.g. `pdf` or `markdown`. */
  doc_type: string;
  /** Hash of the content, so an unchanged file is not ingested again. */
  content_hash: string;
  /** Size of the source in bytes. */
  size_bytes: number;
  /** The file's modification time (ISO 8601), if known. */
  file_date: string | null;
  /** When it was ingested (ISO 8601). */
  ingested_at: string;
  /** How many chunks it was split into. */
  chunk_count: number;
}

/** A document about to be written (id assigned by the store). */
export type NewDocument = Omit<DocumentRow, "id" | "chunk_count">;

/** A chunk about to be written. */
export interface NewChunk {
  /** Order of the chunk in its document, from 0. */
  position: number;
  /** The heading the chunk falls under, if any. */
  section: string | null;
  /** The chunk's text. */
  text: string;
  /** Its embedding, or null without an embedding model. */
  embedding: Float32Array | null;
  /** The model the embedding came from. */
  embeddingModel: string | null;
}

/** A stored chunk with the document it came from. */
export interface ChunkRow {
  /** Assigned by the store. */
  id: number;
  /** The document the chunk belongs to. */
  document_id: number;
  /** Order of the chunk in its document, from 0. */
  position: number;
  /** The heading the chunk falls under, if any. */
  section: string | null;
  /** The chunk's text. */
  text: string;
  /** The model the stored embedding came from, or null. */
  embedding_model: string | null;
  /** The document's source path. */
  source: string;
  /** The document's title. */
  title: string;
  /** The document's format. */
  doc_type: string;
  /** The document's modification time (ISO 8601), if known. */
  file_date: string | null;
}

/** What a search index needs of a chunk. */
export interface IndexableChunk {
  /** The chunk's id. */
  id: number;
  /** The heading the chunk falls under, if any. */
  section: string | null;
  /** The text to index. */
  text: string;
  /** The stored embedding, or null when none was made. */
  embedding: Float32Array | null;
  /** The model the embedding came from. */
  embedding_model: string | null;
}

const CHUNK_WITH_DOCUMENT = `
  SELECT c.id, c.document_id, c.position, c.section, c.text, c.embedding_model,
         d.source, d.title, d.doc_type, d.file_date
  FROM chunks c JOIN documents d ON d.id = c.document_id`;

/** Reads and writes documents and chunks; every change is logged for the search index. */
export class LibraryRepo {
  readonly #db: Database;
  readonly #log: IndexLog;

  /** Wraps an open database; `log` records every change for the search index. */
  constructor(db: Database, log: IndexLog) {
    this.#db = db;
    this.#log = log;
  }

  /** The document ingested from `source`, or null. */
  documentBySource(source: string): DocumentRow | null {
    const row = this.#db.prepare("SELECT * FROM documents WHERE source = ?").get(source);
    return row ? toDocument(row) : null;
  }

  /** True when every chunk of the document carries a vector made by `model`. */
  documentEmbeddedWith(documentId: number, model: string): boolean {
    const row = this.#db.prepare(
      `SELECT COUNT(*) AS n FROM chunks WHERE document_id = ?
         AND (embedding_model IS NULL OR embedding_model != ?)`,
    ).get(documentId, model) as { n: number };
    return Number(row.n) === 0;
  }

  /** Every document, sorted by source. */
  listDocuments(): DocumentRow[] {
    return this.#db.prepare("SELECT * FROM documents ORDER BY source").all().map(toDocument);
  }

  /**
   * Writes a document and its chunks in one transaction, replacing what was
   * ingested from the same source before. A crash leaves the old or the new
   * version, never a mix.
   *
   * @returns the document id and the chunk ids removed and added
   */
  replaceDocument(
    document: NewDocument,
    chunks: readonly NewChunk[],
  ): { documentId: number; removed: number[]; added: number[] } {
    return transaction(this.#db, () => {
      const old = this.documentBySource(document.source);
      const removed = old ? this.#chunkIdsOf(old.id) : [];
      if (old) this.#db.prepare("DELETE FROM documents WHERE id = ?").run(old.id);
      const { lastInsertRowid } = this.#db.prepare(
        `INSERT INTO documents (source, title, doc_type, content_hash, size_bytes, file_date,
           ingested_at, chunk_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        document.source,
        document.title,
        document.doc_type,
        document.content_hash,
        document.size_bytes,
        document.file_date,
        document.ingested_at,
        chunks.length,
      );
      const documentId = Number(lastInsertRowid);
      const insert = this.#db.prepare(
        `INSERT INTO chunks (document_id, position, section, text, embedding, embedding_model)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const added = chunks.map((c) =>
        Number(
          insert.run(
            documentId,
            c.position,
            c.section,
            c.text,
            c.embedding ? vectorToBlob(c.embedding) : null,
            c.embedding ? c.embeddingModel : null,
          ).lastInsertRowid,
        )
      );
      this.#log.append("documents", "remove", removed);
      this.#log.append("documents", "add", added);
      return { documentId, removed, added };
    });
  }

  /** Removes a document (by id or source) and its chunks; null when there is none. */
  removeDocument(idOrSource: number | string): { document: DocumentRow; removed: number[] } | null {
    return transaction(this.#db, () => {
      const row = typeof idOrSource === "number"
        ? this.#db.prepare("SELECT * FROM documents WHERE id = ?").get(idOrSource)
        : this.#db.prepare("SELECT * FROM documents WHERE source = ?").get(idOrSource);
      if (!row) return null;
      const document = toDocument(row);
      const removed = this.#chunkIdsOf(document.id);
      this.#db.prepare("DELETE FROM documents WHERE id = ?").run(document.id);
      this.#log.append("documents", "remove", removed);
      return { document, removed };
    });
  }

  /** Chunks with their documents, in the order of `ids` (missing ids are skipped). */
  chunksByIds(ids: readonly number[]): ChunkRow[] {
    if (ids.length === 0) return [];
    const rows = this.#db.prepare(
      `${CHUNK_WITH_DOCUMENT} WHERE c.id IN (${ids.map(() => "?").join(",")})`,
    ).all(...ids).map(toChunk);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is ChunkRow => r !== undefined);
  }

  /** What the search index needs of the given chunks (missing ids are skipped). */
  indexableChunks(ids: readonly number[]): IndexableChunk[] {
    const out: IndexableChunk[] = [];
    const select = this.#db.prepare(
      "SELECT id, section, text, embedding, embedding_model FROM chunks WHERE id = ?",
    );
    for (const id of ids) {
      const row = select.get(id);
      if (row) out.push(toIndexable(row));
    }
    return out;
  }

  /** Every chunk, for a full index build; streamed, not loaded at once. */
  *allIndexableChunks(): Generator<IndexableChunk> {
    const rows = this.#db.prepare(
      "SELECT id, section, text, embedding, embedding_model FROM chunks",
    )
      .iterate();
    for (const row of rows) yield toIndexable(row);
  }

  /** Up to `limit` chunks not embedded with `model` (none, or another model). */
  chunksToEmbed(model: string, limit: number): { id: number; text: string }[] {
    return this.#db.prepare(
      `SELECT id, text FROM chunks WHERE embedding_model IS NULL OR embedding_model != ?
       ORDER BY id LIMIT ?`,
    ).all(model, limit).map((r) => {
      const row = r as { id: number; text: string };
      return { id: Number(row.id), text: row.text };
    });
  }

  /** How many chunks are not embedded with `model`. */
  countToEmbed(model: string): number {
    const row = this.#db.prepare(
      "SELECT COUNT(*) AS n FROM chunks WHERE embedding_model IS NULL OR embedding_model != ?",
    ).get(model) as { n: number };
    return Number(row.n);
  }

  /** Stores new embeddings for chunks, in one transaction. */
  setEmbeddings(model: string, rows: readonly { id: number; embedding: Float32Array }[]): void {
    transaction(this.#db, () => {
      const update = this.#db.prepare(
        "UPDATE chunks SET embedding = ?, embedding_model = ? WHERE id = ?",
      );
      for (const row of rows) update.run(vectorToBlob(row.embedding), model, row.id);
      this.#log.append("documents", "add", rows.map((r) => r.id));
    });
  }

  /** How many chunks each embedding model embedded (null = not embedded). */
  embeddingModels(): { model: string | null; chunks: number }[] {
    return this.#db.prepare(
      "SELECT embedding_model AS model, COUNT(*) AS n FROM chunks GROUP BY embedding_model",
    ).all().map((r) => {
      const row = r as { model: string | null; n: number };
      return { model: row.model, chunks: Number(row.n) };
    });
  }

  /** Totals for listings. */
  stats(): { documents: number; chunks: number } {
    const row = this.#db.prepare(
      "SELECT (SELECT COUNT(*) FROM documents) AS d, (SELECT COUNT(*) FROM chunks) AS c",
    ).get() as { d: number; c: number };
    return { documents: Number(row.d), chunks: Number(row.c) };
  }

  #chunkIdsOf(documentId: number): number[] {
    return this.#db.prepare("SELECT id FROM chunks WHERE document_id = ? ORDER BY position")
      .all(documentId).map((r) => Number((r as { id: number }).id));
  }
}

function toDocument(row: unknown): DocumentRow {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    source: String(r.source),
    title: String(r.title),
    doc_type: String(r.doc_type),
    content_hash: String(r.content_hash),
    size_bytes: Number(r.size_bytes),
    file_date: r.file_date === null ? null : String(r.file_date),
    ingested_at: String(r.ingested_at),
    chunk_count: Number(r.chunk_count),
  };
}

function toChunk(row: unknown): ChunkRow {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    document_id: Number(r.document_id),
    position: Number(r.position),
    section: r.section === null ? null : String(r.section),
    text: String(r.text),
    embedding_model: r.embedding_model === null ? null : String(r.embedding_model),
    source: String(r.source),
    title: String(r.title),
    doc_type: String(r.doc_type),
    file_date: r.file_date === null ? null : String(r.file_date),
  };
}

function toIndexable(row: unknown): IndexableChunk {
  const r = row as {
    id: number;
    section: string | null;
    text: string;
    embedding: Uint8Array | null;
    embedding_model: string | null;
  };
  return {
    id: Number(r.id),
    section: r.section,
    text: r.text,
    embedding: r.embedding ? blobToVector(r.embedding) : null,
    embedding_model: r.embedding_model,
  };
}
