/**
 * Episodic memory: one episode per reflected chat session (summary, decisions,
 * lessons, tone, grounding), and lessons as rows of their own so each can be
 * found alone. Indexed items are logged for the "episodes" search collection.
 */

import { type ClaimRow, ClaimsRepo, type NewClaim } from "./claims_repo.ts";
import { type Database, transaction } from "./database.ts";
import type { IndexLog } from "./index_log.ts";
import { blobToVector, vectorToBlob } from "./vectors.ts";

/** What an episode says of its session, as written and as read back. */
export interface EpisodeFields {
  /** The session (conversation) reflected on. */
  name: string;
  /** The model that answered in the session, if known. */
  model: string | null;
  /** When the session began (ISO 8601), if known. */
  started_at: string | null;
  /** When the session ended (ISO 8601). */
  ended_at: string;
  /** How many messages the session had. */
  message_count: number;
  /** What the session was about, in a few sentences. */
  summary: string;
  /** What was decided in the session. */
  decisions: string[];
  /** What the session taught; each is a lesson row of its own. */
  lessons: string[];
  /** What went differently than expected. */
  surprises: string[];
  /** The session's tone, one of the reflection's tones. */
  tone: string;
  /** How well the reflection is supported by the session, 0..1. */
  grounding: number;
  /** False when grounding was too low: stored, but never retrieved. */
  indexed: boolean;
}

/** An episode as written: the reflection on one session. */
export interface NewEpisode extends EpisodeFields {
  /** The summary's embedding, or null without an embedding model. */
  summaryEmbedding: Float32Array | null;
  /** One embedding per lesson, in the order of `lessons`. */
  lessonEmbeddings: (Float32Array | null)[];
  /** The model the embeddings came from, so a model change can re-embed. */
  embeddingModel: string | null;
  /** Each statement of the reflection with its verdict. @default none (an old-style episode) */
  claims?: NewClaim[];
  /** What recall indexes: the grounded summary claims. @default the whole summary */
  recallText?: string | null;
  /** Per lesson, true when it is held back (not grounded): never indexed. @default none */
  lessonHeldBack?: boolean[];
  /** Earlier sessions' claims this one's repetition puts in quarantine. @default none */
  quarantineClaimIds?: number[];
}

/** A stored episode. */
export interface Episode extends EpisodeFields {
  /** Assigned by the store. */
  id: number;
  /** True when set aside as a self-reinforcing error; recall skips it until restored. */
  quarantined: boolean;
  /** What recall indexes; null for an episode stored before claims (its summary). */
  recall_text: string | null;
  /** Its claims with their verdicts; [] for an episode stored before claims. */
  claims: ClaimRow[];
}

/**
 * Ids in the "episodes" search collection: a summary is its episode id; a
 * lesson is its lesson id plus this offset, so one index holds both kinds.
 */
export const LESSON_ID_OFFSET = 1_000_000_000;

/** What the episodes search index needs of an item. */
export interface EpisodeIndexItem {
  /** The item's id in the collection (lessons offset by {@linkcode LESSON_ID_OFFSET}). */
  id: number;
  /** Whether the item is an episode's summary or one of its lessons. */
  kind: "summary" | "lesson";
  /** The episode the item belongs to. */
  episode_id: number;
  /** The text to index. */
  text: string;
  /** The stored embedding, or null when none was made. */
  embedding: Float32Array | null;
  /** The model the embedding came from. */
  embedding_model: string | null;
}

/** Episode summaries that may be retrieved, as index items; a summary's id is its episode's. */
const SUMMARY_ITEMS = `SELECT 'summary' AS kind, id, id AS episode_id,
  COALESCE(recall_text, summary) AS text, embedding,
  embedding_model FROM episodes WHERE indexed = 1 AND quarantined = 0`;

/** Lessons of episodes that may be retrieved, as index items (ids offset). */
const LESSON_ITEMS = `SELECT 'lesson' AS kind, l.id + ${LESSON_ID_OFFSET} AS id, l.episode_id,
  l.text, l.embedding, l.embedding_model FROM lessons l JOIN episodes e ON e.id = l.episode_id
  WHERE e.indexed = 1 AND e.quarantined = 0 AND l.held_back = 0`;

/** Reads and writes episodes and their lessons. */
export class EpisodesRepo {
  readonly #db: Database;
  readonly #log: IndexLog;
  /** The episodes' claims, written with them. */
  readonly claims: ClaimsRepo;

  /** Wraps an open database; `log` records every indexed change. */
  constructor(db: Database, log: IndexLog) {
    this.#db = db;
    this.#log = log;
    this.claims = new ClaimsRepo(db);
  }

  /** Stores an episode and its lessons in one transaction; returns the episode id. */
  add(r: NewEpisode): number {
    return transaction(this.#db, () => {
      const id = Number(
        this.#db.prepare(
          `INSERT INTO episodes (name, model, started_at, ended_at, message_count, summary,
             decisions, surprises, tone, grounding, indexed, embedding, embedding_model,
             recall_text)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          r.name,
          r.model,
          r.started_at,
          r.ended_at,
          r.message_count,
          r.summary,
          JSON.stringify(r.decisions),
          JSON.stringify(r.surprises),
          r.tone,
          r.grounding,
          r.indexed ? 1 : 0,
          r.summaryEmbedding ? vectorToBlob(r.summaryEmbedding) : null,
          r.summaryEmbedding ? r.embeddingModel : null,
          r.recallText ?? null,
        ).lastInsertRowid,
      );
      const insertLesson = this.#db.prepare(
        `INSERT INTO lessons (episode_id, text, created_at, embedding, embedding_model, held_back)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      const lessonIds = r.lessons.map((text, i) => {
        const vector = r.lessonEmbeddings[i] ?? null;
        const heldBack = r.lessonHeldBack?.[i] === true;
        const lessonId = Number(
          insertLesson.run(
            id,
            text,
            r.ended_at,
            vector ? vectorToBlob(vector) : null,
            vector ? r.embeddingModel : null,
            heldBack ? 1 : 0,
          ).lastInsertRowid,
        );
        return heldBack ? null : lessonId;
      }).filter((l) => l !== null);
      this.claims.insert(id, r.claims ?? []);
      this.claims.quarantine(r.quarantineClaimIds ?? []);
      if (r.indexed) {
        this.#log.append("episodes", "add", [id, ...lessonIds.map((l) => l + LESSON_ID_OFFSET)]);
      }
      return id;
    });
  }

  /**
   * The episode stored for this span of a session (same name, first message time and message
   * count) at or after `since`, or null: a reflection whose record in the transcript was lost
   * (the process died between the two writes) is found here instead of being stored twice.
   */
  findSpan(name: string, startedAt: string, messageCount: number, since: string): number | null {
    const row = this.#db.prepare(
      `SELECT id FROM episodes WHERE name = ? AND started_at = ? AND message_count = ?
         AND ended_at >= ? LIMIT 1`,
    ).get(name, startedAt, messageCount, since);
    return row ? Number(row.id) : null;
  }

  /** One episode, or null. */
  get(id: number): Episode | null {
    const row = this.#db.prepare("SELECT * FROM episodes WHERE id = ?").get(id);
    return row ? this.#toEpisode(row) : null;
  }

  /**
   * Episodes, newest first. `quarantined: true` lists the quarantined ones and those with a
   * quarantined claim; otherwise every episode not quarantined as a whole.
   */
  list(options: { quarantined?: boolean; limit?: number } = {}): Episode[] {
    const where = options.quarantined
      ? `quarantined = 1 OR EXISTS (SELECT 1 FROM episode_claims c
           WHERE c.episode_id = episodes.id AND c.quarantined = 1)`
      : "quarantined = 0";
    return this.#db.prepare(
      `SELECT * FROM episodes WHERE ${where} ORDER BY ended_at DESC, id DESC LIMIT ?`,
    ).all(options.limit ?? 1000).map((r) => this.#toEpisode(r));
  }

  /**
   * Restores claims the user vouches for: out of quarantine for good, recalled as memory.
   * Their episodes' recall text, index entries and held-back lessons follow.
   *
   * @returns How many claims changed.
   */
  restoreClaims(ids: readonly number[]): number {
    return transaction(this.#db, () => {
      const claims = ids.map((id) => this.claims.get(id)).filter((c) => c !== null);
      const changed = this.claims.restore(claims.map((c) => c.id));
      for (const episodeId of new Set(claims.map((c) => c.episode_id))) {
        const recalled = this.claims.forEpisode(episodeId).filter((c) => c.grounded || c.restored);
        // As recordEpisode writes it: every recalled claim but the lessons (indexed apart).
        const text = recalled.filter((c) => c.kind !== "lesson").map((c) => c.text).join(" ");
        for (const c of recalled.filter((c) => c.kind === "lesson")) {
          this.#db.prepare("UPDATE lessons SET held_back = 0 WHERE episode_id = ? AND text = ?")
            .run(episodeId, c.text);
        }
        this.#db.prepare("UPDATE episodes SET recall_text = ?, indexed = 1 WHERE id = ?")
          .run(text, episodeId);
        const row = this.get(episodeId);
        if (row && !row.quarantined) {
          const items = [episodeId, ...this.#lessonIds(episodeId).map((l) => l + LESSON_ID_OFFSET)];
          this.#log.append("episodes", "add", items);
        }
      }
      return changed;
    });
  }

  /**
   * Restores an episode stored before claims existed, which the user vouches for whole: its
   * claims (split by the caller) are written and restored, and it leaves quarantine, so its
   * sentences are recalled like any restored claim.
   *
   * @returns How many claims were restored (0 when the episode already has claims).
   */
  restoreUnclaimed(episodeId: number, claims: readonly NewClaim[]): number {
    return transaction(this.#db, () => {
      if (this.claims.forEpisode(episodeId).length > 0) return 0;
      this.claims.insert(episodeId, claims);
      this.setQuarantined([episodeId], false);
      return this.restoreClaims(this.claims.forEpisode(episodeId).map((c) => c.id));
    });
  }

  /** Quarantines (true) or restores (false) episodes; they leave or rejoin retrieval. */
  setQuarantined(ids: readonly number[], quarantined: boolean): number {
    return transaction(this.#db, () => {
      let changed = 0;
      for (const id of ids) {
        const row = this.get(id);
        if (!row || row.quarantined === quarantined) continue;
        this.#db.prepare("UPDATE episodes SET quarantined = ? WHERE id = ?")
          .run(quarantined ? 1 : 0, id);
        if (row.indexed) {
          const items = [id, ...this.#lessonIds(id).map((l) => l + LESSON_ID_OFFSET)];
          this.#log.append("episodes", quarantined ? "remove" : "add", items);
        }
        changed++;
      }
      return changed;
    });
  }

  /** The searchable items with these collection ids (summaries and lessons). */
  indexItems(ids: readonly number[]): EpisodeIndexItem[] {
    const summary = this.#db.prepare(`${SUMMARY_ITEMS} AND id = ?`);
    const lesson = this.#db.prepare(`${LESSON_ITEMS} AND l.id = ?`);
    return ids.flatMap((id) => {
      const row = id >= LESSON_ID_OFFSET ? lesson.get(id - LESSON_ID_OFFSET) : summary.get(id);
      return row ? [toIndexItem(row)] : [];
    });
  }

  /** Every searchable item: indexed, not quarantined; summaries, then lessons by episode. */
  allIndexItems(): EpisodeIndexItem[] {
    return [
      ...this.#db.prepare(`${SUMMARY_ITEMS} ORDER BY id`).all(),
      ...this.#db.prepare(`${LESSON_ITEMS} ORDER BY l.episode_id, l.id`).all(),
    ].map(toIndexItem);
  }

  #lessonIds(episodeId: number): number[] {
    return this.#db.prepare(
      "SELECT id FROM lessons WHERE episode_id = ? AND held_back = 0 ORDER BY id",
    )
      .all(episodeId).map((r) => Number((r as { id: number }).id));
  }

  #toEpisode(row: unknown): Episode {
    const r = row as Record<string, unknown>;
    const id = Number(r.id);
    const lessons = this.#db.prepare("SELECT text FROM lessons WHERE episode_id = ? ORDER BY id")
      .all(id).map((l) => String((l as { text: string }).text));
    return {
      id,
      name: String(r.name),
      model: r.model === null ? null : String(r.model),
      started_at: r.started_at === null ? null : String(r.started_at),
      ended_at: String(r.ended_at),
      message_count: Number(r.message_count),
      summary: String(r.summary),
      decisions: parseList(r.decisions),
      surprises: parseList(r.surprises),
      lessons,
      tone: String(r.tone),
      grounding: Number(r.grounding),
      indexed: Number(r.indexed) === 1,
      quarantined: Number(r.quarantined) === 1,
      recall_text: r.recall_text === null || r.recall_text === undefined
        ? null
        : String(r.recall_text),
      claims: this.claims.forEpisode(id),
    };
  }
}

function toIndexItem(row: unknown): EpisodeIndexItem {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    kind: r.kind as EpisodeIndexItem["kind"],
    episode_id: Number(r.episode_id),
    text: String(r.text),
    embedding: r.embedding ? blobToVector(r.embedding as Uint8Array) : null,
    embedding_model: (r.embedding_model as string | null) ?? null,
  };
}

function parseList(value: unknown): string[] {
  try {
    const parsed = JSON.parse(String(value));
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
