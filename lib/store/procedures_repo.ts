/** Procedural memory: problem → solution exemplars, from the user or from session lessons. */

import { type Database, transaction } from "./database.ts";
import type { IndexLog } from "./index_log.ts";
import { blobToVector, vectorToBlob } from "./vectors.ts";

/** A stored procedure. */
export interface ProcedureRow {
  /** Assigned by the store. */
  id: number;
  /** The situation the procedure applies to. */
  problem: string;
  /** What to do about it. */
  solution: string;
  /** "user" (added with /procedure add) or "lesson" (proposed at reflection). */
  source: string;
  /** When it was added (ISO 8601). */
  created_at: string;
  /** How many times it was put in front of the model. */
  use_count: number;
}

/** What the procedures search index needs of one procedure. */
export interface ProcedureIndexItem {
  /** The procedure's id. */
  id: number;
  /** The text to index (problem and solution). */
  text: string;
  /** The stored embedding, or null when none was made. */
  embedding: Float32Array | null;
  /** The model the embedding came from. */
  embedding_model: string | null;
}

/** Reads and writes procedures; changes are logged for the "procedures" search collection. */
export class ProceduresRepo {
  readonly #db: Database;
  readonly #log: IndexLog;

  /** Wraps an open database; `log` records every change for the search index. */
  constructor(db: Database, log: IndexLog) {
    this.#db = db;
    this.#log = log;
  }

  /** Stores a procedure; returns it. */
  add(
    p: { problem: string; solution: string; source: string; created_at: string },
    embedding: { vector: Float32Array; model: string } | null = null,
  ): ProcedureRow {
    return transaction(this.#db, () => {
      const id = Number(
        this.#db.prepare(
          `INSERT INTO procedures (problem, solution, source, created_at, embedding, embedding_model)
           VALUES (?, ?, ?, ?, ?, ?)`,
        ).run(
          p.problem,
          p.solution,
          p.source,
          p.created_at,
          embedding ? vectorToBlob(embedding.vector) : null,
          embedding?.model ?? null,
        ).lastInsertRowid,
      );
      this.#log.append("procedures", "add", [id]);
      return this.get(id)!;
    });
  }

  /** One procedure, or null. */
  get(id: number): ProcedureRow | null {
    const row = this.#db.prepare(
      "SELECT id, problem, solution, source, created_at, use_count FROM procedures WHERE id = ?",
    ).get(id);
    return row ? toProcedure(row) : null;
  }

  /** Every procedure, oldest first. */
  list(): ProcedureRow[] {
    return this.#db.prepare(
      "SELECT id, problem, solution, source, created_at, use_count FROM procedures ORDER BY id",
    ).all().map(toProcedure);
  }

  /** Removes a procedure; false when there was none. */
  remove(id: number): boolean {
    return transaction(this.#db, () => {
      const changed = Number(
        this.#db.prepare("DELETE FROM procedures WHERE id = ?").run(id).changes,
      );
      if (changed > 0) this.#log.append("procedures", "remove", [id]);
      return changed > 0;
    });
  }

  /** Counts a use (the procedure was put in front of the model). */
  used(ids: readonly number[]): void {
    const update = this.#db.prepare("UPDATE procedures SET use_count = use_count + 1 WHERE id = ?");
    for (const id of ids) update.run(id);
  }

  /** What the search index needs, for the given ids (missing ones skipped). */
  indexItems(ids: readonly number[]): ProcedureIndexItem[] {
    const select = this.#db.prepare(
      "SELECT id, problem, solution, embedding, embedding_model FROM procedures WHERE id = ?",
    );
    return ids.flatMap((id) => {
      const row = select.get(id);
      return row ? [toItem(row)] : [];
    });
  }

  /** Every procedure as an index item. */
  allIndexItems(): ProcedureIndexItem[] {
    return this.#db.prepare(
      "SELECT id, problem, solution, embedding, embedding_model FROM procedures",
    ).all().map(toItem);
  }
}

function toProcedure(row: unknown): ProcedureRow {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    problem: String(r.problem),
    solution: String(r.solution),
    source: String(r.source),
    created_at: String(r.created_at),
    use_count: Number(r.use_count),
  };
}

function toItem(row: unknown): ProcedureIndexItem {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    // The problem is what a later question resembles; the solution is searchable too.
    text: `${r.problem}\n${r.solution}`,
    embedding: r.embedding ? blobToVector(r.embedding as Uint8Array) : null,
    embedding_model: (r.embedding_model as string | null) ?? null,
  };
}
