/**
 * The index log: every change a search index must follow, in commit order.
 * Writers append in the same transaction as the change itself, so the log and
 * the data can never disagree; a snapshot records the last seq it holds.
 */

import { type Database, transaction } from "./database.ts";

/** The search collections that follow the store. */
export type Collection = "documents" | "episodes" | "procedures";

/** One logged change: `add` means "(re)index this item", `remove` means "drop it". */
export interface LogEntry {
  /** Position in commit order; a snapshot records the last one it holds. */
  seq: number;
  /** Whether to (re)index the item or drop it. */
  op: "add" | "remove";
  /** The item's id in its collection. */
  item_id: number;
}

/** Reads and writes the index log. */
export class IndexLog {
  readonly #db: Database;

  /** Wraps an open database. */
  constructor(db: Database) {
    this.#db = db;
  }

  /** Appends changes; call inside the transaction that made them. */
  append(collection: Collection, op: "add" | "remove", ids: readonly number[]): void {
    const insert = this.#db.prepare(
      "INSERT INTO index_log (collection, op, item_id) VALUES (?, ?, ?)",
    );
    for (const id of ids) insert.run(collection, op, id);
  }

  /**
   * The generation of `collection`: the seq of its newest change, or of the
   * newest change that compaction forgot (0 when it never changed).
   */
  lastSeq(collection: Collection): number {
    const row = this.#db.prepare(
      "SELECT MAX(seq) AS seq FROM index_log WHERE collection = ?",
    ).get(collection) as { seq: number | null };
    return Math.max(Number(row.seq ?? 0), this.compactedThrough(collection));
  }

  /** How many changes came after `seq`. */
  countSince(collection: Collection, seq: number): number {
    const row = this.#db.prepare(
      "SELECT COUNT(*) AS n FROM index_log WHERE collection = ? AND seq > ?",
    ).get(collection, seq) as { n: number };
    return Number(row.n);
  }

  /** The changes after `seq`, oldest first. */
  since(collection: Collection, seq: number): LogEntry[] {
    return this.#db.prepare(
      "SELECT seq, op, item_id FROM index_log WHERE collection = ? AND seq > ? ORDER BY seq",
    ).all(collection, seq).map((row) => {
      const r = row as { seq: number; op: "add" | "remove"; item_id: number };
      return { seq: Number(r.seq), op: r.op, item_id: Number(r.item_id) };
    });
  }

  /**
   * True when the changes after `seq` are all still in the log, so an index
   * holding everything up to `seq` can be brought up to date by replaying them.
   */
  canReplayFrom(collection: Collection, seq: number): boolean {
    return seq >= this.compactedThrough(collection);
  }

  /** Forgets the changes up to and including `seq` (a snapshot now holds them). */
  compact(collection: Collection, seq: number): void {
    transaction(this.#db, () => {
      this.#db.prepare("DELETE FROM index_log WHERE collection = ? AND seq <= ?")
        .run(collection, seq);
      const through = Math.max(seq, this.compactedThrough(collection));
      this.#db.prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) " +
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ).run(compactKey(collection), String(through));
    });
  }

  /** The newest seq that compaction has forgotten (0 when none). */
  compactedThrough(collection: Collection): number {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = ?")
      .get(compactKey(collection)) as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  }
}

function compactKey(collection: Collection): string {
  return `index_log.${collection}.compacted_through`;
}
