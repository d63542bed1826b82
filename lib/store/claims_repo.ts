/**
 * Claims: each statement of an episode's reflection with its own verdict. Written in the same
 * transaction as their episode (see EpisodesRepo.add); quarantined and restored one by one.
 */

import { type Database, transaction } from "./database.ts";

/** The part of a reflection a claim comes from. */
export type ClaimRowKind = "summary" | "decision" | "lesson" | "surprise";

/** A claim as written with its episode. */
export interface NewClaim {
  /** The part of the reflection it comes from. */
  kind: ClaimRowKind;
  /** Its place in the reflection, from 0. */
  position: number;
  /** What it says. */
  text: string;
  /** Whether the session's evidence supports it. */
  grounded: boolean;
  /** Why it is (or is not) grounded, shown to the user. */
  reason: string;
  /** Keys of the values never found ("name:zorblax"), for poison-loop detection. */
  missing: string[];
  /** True when it repeats an unverified claim of another session. */
  quarantined: boolean;
}

/** A stored claim. */
export interface ClaimRow extends NewClaim {
  /** Assigned by the store. */
  id: number;
  /** The episode it belongs to. */
  episode_id: number;
  /** True when the user restored it: it is recalled and never quarantined again. */
  restored: boolean;
}

/** Reads and writes claims. */
export class ClaimsRepo {
  readonly #db: Database;

  /** Wraps an open database. */
  constructor(db: Database) {
    this.#db = db;
  }

  /** Writes an episode's claims; call inside the transaction that writes the episode. */
  insert(episodeId: number, claims: readonly NewClaim[]): void {
    const insert = this.#db.prepare(
      `INSERT INTO episode_claims (episode_id, kind, position, text, grounded, reason, missing,
         quarantined) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const c of claims) {
      insert.run(
        episodeId,
        c.kind,
        c.position,
        c.text,
        c.grounded ? 1 : 0,
        c.reason,
        JSON.stringify(c.missing),
        c.quarantined ? 1 : 0,
      );
    }
  }

  /** An episode's claims in reflection order; [] for an episode stored before claims. */
  forEpisode(episodeId: number): ClaimRow[] {
    return this.#db.prepare("SELECT * FROM episode_claims WHERE episode_id = ? ORDER BY position")
      .all(episodeId).map(toClaim);
  }

  /** One claim, or null. */
  get(id: number): ClaimRow | null {
    const row = this.#db.prepare("SELECT * FROM episode_claims WHERE id = ?").get(id);
    return row ? toClaim(row) : null;
  }

  /** Every unverified claim the user has not restored, oldest first (poison-loop input). */
  unverified(): ClaimRow[] {
    return this.#db.prepare(
      "SELECT * FROM episode_claims WHERE grounded = 0 AND restored = 0 ORDER BY id",
    ).all().map(toClaim);
  }

  /** Marks claims quarantined (restored ones excepted); returns how many changed. */
  quarantine(ids: readonly number[]): number {
    return this.#updateEach(
      "UPDATE episode_claims SET quarantined = 1 WHERE id = ? AND quarantined = 0 AND restored = 0",
      ids,
    );
  }

  /** Marks claims restored by the user: out of quarantine for good; returns how many changed. */
  restore(ids: readonly number[]): number {
    return this.#updateEach(
      "UPDATE episode_claims SET quarantined = 0, restored = 1 WHERE id = ? AND restored = 0",
      ids,
    );
  }

  #updateEach(sql: string, ids: readonly number[]): number {
    const update = this.#db.prepare(sql);
    return transaction(this.#db, () => {
      let changed = 0;
      for (const id of ids) changed += Number(update.run(id).changes);
      return changed;
    });
  }
}

function toClaim(row: unknown): ClaimRow {
  const r = row as Record<string, unknown>;
  let missing: string[] = [];
  try {
    const parsed = JSON.parse(String(r.missing));
    if (Array.isArray(parsed)) missing = parsed.filter((x): x is string => typeof x === "string");
  } catch { /* an unreadable list counts as empty */ }
  return {
    id: Number(r.id),
    episode_id: Number(r.episode_id),
    kind: String(r.kind) as ClaimRowKind,
    position: Number(r.position),
    text: String(r.text),
    grounded: Number(r.grounded) === 1,
    reason: String(r.reason),
    missing,
    quarantined: Number(r.quarantined) === 1,
    restored: Number(r.restored) === 1,
  };
}
