/** Facts the user asked us to remember: rows with types and reference times. */

import type { Database } from "./database.ts";

/** The kinds of fact, each with its own staleness and prompt heading. */
export type FactType = "fact" | "preference" | "project" | "ephemeral";

/** A stored fact. */
export interface FactRow {
  /** Never reused, even after the fact is forgotten. */
  id: number;
  /** The fact as the user said it. */
  text: string;
  /** Its kind, which sets its staleness and heading. */
  type: FactType;
  /** When it was remembered (ISO 8601). */
  created_at: string;
  /** When an answer last used it (ISO 8601); used facts do not go stale. */
  last_referenced_at: string;
  /** How many answers have used it. */
  reference_count: number;
}

/** Reads and writes facts. */
export class FactsRepo {
  readonly #db: Database;

  /** Wraps an open database. */
  constructor(db: Database) {
    this.#db = db;
  }

  /** Stores a fact; returns it with its new id. */
  add(text: string, type: FactType, now: string): FactRow {
    const { lastInsertRowid } = this.#db.prepare(
      `INSERT INTO facts (text, type, created_at, last_referenced_at, reference_count)
       VALUES (?, ?, ?, ?, 0)`,
    ).run(text, type, now, now);
    return this.get(Number(lastInsertRowid))!;
  }

  /** One fact, or null. */
  get(id: number): FactRow | null {
    const row = this.#db.prepare("SELECT * FROM facts WHERE id = ?").get(id);
    return row ? toFact(row) : null;
  }

  /** Every fact, oldest first. */
  list(): FactRow[] {
    return this.#db.prepare("SELECT * FROM facts ORDER BY id").all().map(toFact);
  }

  /** Forgets a fact; false when there was none with that id. */
  remove(id: number): boolean {
    return Number(this.#db.prepare("DELETE FROM facts WHERE id = ?").run(id).changes) > 0;
  }

  /** Marks facts as used now (they are no longer stale). */
  touch(ids: readonly number[], now: string): void {
    const update = this.#db.prepare(
      "UPDATE facts SET last_referenced_at = ?, reference_count = reference_count + 1 WHERE id = ?",
    );
    for (const id of ids) update.run(now, id);
  }
}

function toFact(row: unknown): FactRow {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    text: String(r.text),
    type: String(r.type) as FactType,
    created_at: String(r.created_at),
    last_referenced_at: String(r.last_referenced_at),
    reference_count: Number(r.reference_count),
  };
}
