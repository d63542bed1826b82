/**
 * The schema, as an ordered list of migrations. `PRAGMA user_version` holds the
 * number of the last one applied. The pending ones run in one write transaction
 * that reads the version first (lib/store/database.ts), so a crash leaves the
 * database as it was, never half-way, and two processes never migrate it twice.
 * Never edit a released migration: add a new one.
 */

/** One schema step. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "documents, chunks, facts, sessions, lessons, procedures, index log",
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,          -- absolute path of the ingested file
        title TEXT NOT NULL,
        doc_type TEXT NOT NULL,
        content_hash TEXT NOT NULL,           -- SHA-256 of the file's bytes
        size_bytes INTEGER NOT NULL,
        file_date TEXT,                       -- the file's modification time, ISO 8601
        ingested_at TEXT NOT NULL,
        chunk_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        section TEXT,
        text TEXT NOT NULL,
        embedding BLOB,                       -- float32, little-endian; NULL = not embedded
        embedding_model TEXT,
        UNIQUE (document_id, position)
      );
      CREATE INDEX chunks_by_model ON chunks (embedding_model);
      CREATE TABLE facts (
        id INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: ids are never reused
        text TEXT NOT NULL,
        type TEXT NOT NULL DEFAULT 'fact',
        created_at TEXT NOT NULL,
        last_referenced_at TEXT NOT NULL,
        reference_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        model TEXT,
        started_at TEXT,
        ended_at TEXT NOT NULL,
        message_count INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL,
        decisions TEXT NOT NULL DEFAULT '[]', -- JSON arrays of strings
        surprises TEXT NOT NULL DEFAULT '[]',
        tone TEXT NOT NULL DEFAULT 'neutral',
        grounding REAL NOT NULL DEFAULT 1.0,
        indexed INTEGER NOT NULL DEFAULT 1,
        quarantined INTEGER NOT NULL DEFAULT 0,
        embedding BLOB,
        embedding_model TEXT
      );
      CREATE TABLE lessons (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER REFERENCES sessions(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        embedding BLOB,
        embedding_model TEXT
      );
      CREATE TABLE procedures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        problem TEXT NOT NULL,
        solution TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'user',
        created_at TEXT NOT NULL,
        use_count INTEGER NOT NULL DEFAULT 0,
        embedding BLOB,
        embedding_model TEXT
      );
      -- Every change a search index must follow, in order. A snapshot of an index
      -- records the last seq it contains; on start the rows after it are replayed.
      CREATE TABLE index_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        op TEXT NOT NULL CHECK (op IN ('add', 'remove')),
        item_id INTEGER NOT NULL
      );
      CREATE INDEX index_log_by_collection ON index_log (collection, seq);
    `,
  },
  {
    version: 2,
    description: "stored reflections are episodes: sessions → episodes, lessons.episode_id",
    // Renamed in place, so every row, id and AUTOINCREMENT counter stays: SQLite rewrites
    // the lessons foreign key and sqlite_sequence along with the table. The index log and
    // its compaction mark follow the collection's new name, so snapshots stay current.
    sql: `
      ALTER TABLE sessions RENAME TO episodes;
      ALTER TABLE lessons RENAME COLUMN session_id TO episode_id;
      UPDATE index_log SET collection = 'episodes' WHERE collection = 'sessions';
      UPDATE meta SET key = 'index_log.episodes.compacted_through'
        WHERE key = 'index_log.sessions.compacted_through';
    `,
  },
  {
    version: 3,
    description: "claims: each statement of a reflection with its own verdict",
    // Episodes stored before this keep no claim rows: their summary, decisions and lessons are
    // read as claims with the old session score's verdict (lib/memory/episode_claims.ts).
    // recall_text is what recall indexes (the grounded claims); NULL means the whole summary.
    sql: `
      CREATE TABLE episode_claims (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('summary', 'decision', 'lesson', 'surprise')),
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        grounded INTEGER NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        missing TEXT NOT NULL DEFAULT '[]',   -- JSON keys of values never found ("name:zorblax")
        quarantined INTEGER NOT NULL DEFAULT 0,
        restored INTEGER NOT NULL DEFAULT 0,  -- the user vouched for it: recalled, never re-quarantined
        UNIQUE (episode_id, position)
      );
      CREATE INDEX episode_claims_unverified ON episode_claims (grounded, restored);
      ALTER TABLE episodes ADD COLUMN recall_text TEXT;
      ALTER TABLE lessons ADD COLUMN held_back INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

/** The schema version this program writes. */
export const SCHEMA_VERSION: number = MIGRATIONS.at(-1)!.version;
