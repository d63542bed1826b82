/**
 * Episodic memory: one row per reflected chat session (summary, decisions,
 * lessons, tone, grounding), and lessons as rows of their own so each can be
 * found alone. Indexed items are logged for the "sessions" search collection.
 */

import { type Database, transaction } from "./database.ts";
import type { IndexLog } from "./index_log.ts";
import { blobToVector, vectorToBlob } from "./vectors.ts";

/** A session's reflection as written. */
export interface NewReflection {
  name: string;
  model: string | null;
  started_at: string | null;
  ended_at: string;
  message_count: number;
  summary: string;
  decisions: string[];
  lessons: string[];
  surprises: string[];
  tone: string;
  grounding: number;
  /** False when grounding was too low: stored, but never retrieved. */
  indexed: boolean;
  summaryEmbedding: Float32Array | null;
  lessonEmbeddings: (Float32Array | null)[];
  embeddingModel: string | null;
}

/** A stored reflection. */
export interface ReflectionRow {
  id: number;
  name: string;
  model: string | null;
  started_at: string | null;
  ended_at: string;
  message_count: number;
  summary: string;
  decisions: string[];
  surprises: string[];
  lessons: string[];
  tone: string;
  grounding: number;
  indexed: boolean;
  quarantined: boolean;
}

/**
 * Ids in the "sessions" search collection: a summary is its session id; a
 * lesson is its lesson id plus this offset, so one index holds both kinds.
 */
export const LESSON_ID_OFFSET = 1_000_000_000;

/** What the sessions search index needs of an item. */
export interface SessionIndexItem {
  id: number;
  kind: "summary" | "lesson";
  session_id: number;
  text: string;
  embedding: Float32Array | null;
  embedding_model: string | null;
}

/** Session summaries that may be retrieved, as index items; a summary's id is its session's. */
const SUMMARY_ITEMS = `SELECT 'summary' AS kind, id, id AS session_id, summary AS text, embedding,
  embedding_model FROM sessions WHERE indexed = 1 AND quarantined = 0`;

/** Lessons of sessions that may be retrieved, as index items (ids offset). */
const LESSON_ITEMS = `SELECT 'lesson' AS kind, l.id + ${LESSON_ID_OFFSET} AS id, l.session_id,
  l.text, l.embedding, l.embedding_model FROM lessons l JOIN sessions s ON s.id = l.session_id
  WHERE s.indexed = 1 AND s.quarantined = 0`;

/** Reads and writes reflections and lessons. */
export class SessionsRepo {
  readonly #db: Database;
  readonly #log: IndexLog;

  constructor(db: Database, log: IndexLog) {
    this.#db = db;
    this.#log = log;
  }

  /** Stores a reflection and its lessons in one transaction; returns the session id. */
  add(r: NewReflection): number {
    return transaction(this.#db, () => {
      const id = Number(
        this.#db.prepare(
          `INSERT INTO sessions (name, model, started_at, ended_at, message_count, summary,
             decisions, surprises, tone, grounding, indexed, embedding, embedding_model)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        ).lastInsertRowid,
      );
      const insertLesson = this.#db.prepare(
        `INSERT INTO lessons (session_id, text, created_at, embedding, embedding_model)
         VALUES (?, ?, ?, ?, ?)`,
      );
      const lessonIds = r.lessons.map((text, i) => {
        const vector = r.lessonEmbeddings[i] ?? null;
        return Number(
          insertLesson.run(
            id,
            text,
            r.ended_at,
            vector ? vectorToBlob(vector) : null,
            vector ? r.embeddingModel : null,
          ).lastInsertRowid,
        );
      });
      if (r.indexed) {
        this.#log.append("sessions", "add", [id, ...lessonIds.map((l) => l + LESSON_ID_OFFSET)]);
      }
      return id;
    });
  }

  /** One reflection, or null. */
  get(id: number): ReflectionRow | null {
    const row = this.#db.prepare("SELECT * FROM sessions WHERE id = ?").get(id);
    return row ? this.#toReflection(row) : null;
  }

  /** Reflections, newest first; `quarantined` lists only those, else only the others. */
  list(options: { quarantined?: boolean; limit?: number } = {}): ReflectionRow[] {
    return this.#db.prepare(
      "SELECT * FROM sessions WHERE quarantined = ? ORDER BY ended_at DESC, id DESC LIMIT ?",
    ).all(options.quarantined ? 1 : 0, options.limit ?? 1000).map((r) => this.#toReflection(r));
  }

  /** Quarantines (true) or restores (false) sessions; they leave or rejoin retrieval. */
  setQuarantined(ids: readonly number[], quarantined: boolean): number {
    return transaction(this.#db, () => {
      let changed = 0;
      for (const id of ids) {
        const row = this.get(id);
        if (!row || row.quarantined === quarantined) continue;
        this.#db.prepare("UPDATE sessions SET quarantined = ? WHERE id = ?")
          .run(quarantined ? 1 : 0, id);
        if (row.indexed) {
          const items = [id, ...this.#lessonIds(id).map((l) => l + LESSON_ID_OFFSET)];
          this.#log.append("sessions", quarantined ? "remove" : "add", items);
        }
        changed++;
      }
      return changed;
    });
  }

  /** The searchable items with these collection ids (summaries and lessons). */
  indexItems(ids: readonly number[]): SessionIndexItem[] {
    const summary = this.#db.prepare(`${SUMMARY_ITEMS} AND id = ?`);
    const lesson = this.#db.prepare(`${LESSON_ITEMS} AND l.id = ?`);
    return ids.flatMap((id) => {
      const row = id >= LESSON_ID_OFFSET ? lesson.get(id - LESSON_ID_OFFSET) : summary.get(id);
      return row ? [toIndexItem(row)] : [];
    });
  }

  /** Every searchable item: indexed, not quarantined; summaries, then lessons by session. */
  allIndexItems(): SessionIndexItem[] {
    return [
      ...this.#db.prepare(`${SUMMARY_ITEMS} ORDER BY id`).all(),
      ...this.#db.prepare(`${LESSON_ITEMS} ORDER BY l.session_id, l.id`).all(),
    ].map(toIndexItem);
  }

  #lessonIds(sessionId: number): number[] {
    return this.#db.prepare("SELECT id FROM lessons WHERE session_id = ? ORDER BY id")
      .all(sessionId).map((r) => Number((r as { id: number }).id));
  }

  #toReflection(row: unknown): ReflectionRow {
    const r = row as Record<string, unknown>;
    const id = Number(r.id);
    const lessons = this.#db.prepare("SELECT text FROM lessons WHERE session_id = ? ORDER BY id")
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
    };
  }
}

function toIndexItem(row: unknown): SessionIndexItem {
  const r = row as Record<string, unknown>;
  return {
    id: Number(r.id),
    kind: r.kind as SessionIndexItem["kind"],
    session_id: Number(r.session_id),
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
