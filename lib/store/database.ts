/**
 * Opens the SQLite database (the only place in the program that does): WAL
 * journal, foreign keys, migrations to the current schema, and transactions.
 */

import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { createError } from "../core/mod.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";

/** The raw SQLite handle; only lib/store sees it. */
export type Database = DatabaseSync;

/** Why a database could not be used. */
function unusable(path: string, why: string) {
  return createError(
    "invalid_input",
    `The database ${path} cannot be used: ${why}. It was left as it is; ` +
      "move it aside to start afresh.",
  );
}

/**
 * Opens (creating if needed) the database at `path` and migrates it.
 *
 * @throws MycoError `invalid_input` when the file is not a database or is newer than this program
 */
export function openDatabase(path: string): { db: Database; migratedFrom: number } {
  if (path !== ":memory:") Deno.mkdirSync(dirname(path), { recursive: true });
  let db: Database;
  try {
    db = new DatabaseSync(path);
    // WAL: readers never block the writer and a kill -9 never corrupts the file.
    // synchronous=FULL: a committed transaction survives a power cut too.
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    db.exec("PRAGMA busy_timeout = 5000;");
  } catch (error) {
    throw unusable(path, (error as Error).message);
  }
  try {
    const migratedFrom = migrate(db, path);
    return { db, migratedFrom };
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database, path: string): number {
  let current: number;
  try {
    current = Number(
      (db.prepare("PRAGMA user_version").get() as { user_version: number })
        .user_version,
    );
  } catch (error) {
    throw unusable(path, (error as Error).message);
  }
  if (current > SCHEMA_VERSION) {
    throw unusable(
      path,
      `it has schema version ${current}, newer than this program's ${SCHEMA_VERSION} (upgrade mycoswarm)`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    transaction(db, () => {
      db.exec(migration.sql);
      db.exec(`PRAGMA user_version = ${migration.version}`);
    });
  }
  return current;
}

/**
 * Runs `fn` in one write transaction: all of it is committed, or none.
 * Nested calls join the outer transaction.
 */
export function transaction<T>(db: Database, fn: () => T): T {
  if (db.isTransaction) return fn();
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}
