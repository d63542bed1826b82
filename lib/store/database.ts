/**
 * Opens the SQLite database (the only place in the program that does): WAL
 * journal, foreign keys, migrations to the current schema, and transactions.
 */

import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { createError } from "../core/mod.ts";
import { damaged, isDamage } from "./integrity.ts";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";

/** The raw SQLite handle; only lib/store sees it. */
export type Database = DatabaseSync;

/**
 * How long a statement waits for another process's lock before it fails: a second process
 * opening a fresh home waits out the first one's migration, and a command waits out a
 * daemon's write (one document's chunks, one reflection: well under a second) instead of
 * failing with "database is locked".
 */
const BUSY_TIMEOUT_MS = 10_000;

/** Why a database could not be used. */
function unusable(path: string, error: unknown) {
  const why = error instanceof Error ? error.message : String(error);
  if (isDamage(error)) return damaged(path, why);
  return createError(
    "invalid_input",
    `The database ${path} cannot be used: ${why}. It was left as it is; ` +
      "move it aside to start afresh.",
  );
}

/**
 * Opens (creating if needed) the database at `path` and migrates it.
 *
 * @throws MycoError `store_damaged` when the file is damaged or not a database;
 *   `invalid_input` when it is newer than this program or cannot be opened
 */
export function openDatabase(path: string): { db: Database; migratedFrom: number } {
  if (path !== ":memory:") Deno.mkdirSync(dirname(path), { recursive: true });
  let db: Database;
  try {
    db = new DatabaseSync(path);
  } catch (error) {
    throw unusable(path, error);
  }
  try {
    // The busy timeout first: switching a fresh file to WAL takes a lock another process
    // opening it at the same moment may hold.
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS};`);
    // WAL: readers never block the writer and a kill -9 never corrupts the file.
    // synchronous=FULL: a committed transaction survives a power cut too.
    // SQLite answers "database is locked" at once, without waiting, where waiting could
    // deadlock — as when two processes switch a fresh file to WAL together: try again.
    whileBusy(() =>
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
    );
    const migratedFrom = whileBusy(() => migrate(db, path));
    return { db, migratedFrom };
  } catch (error) {
    db.close();
    if (error instanceof Error && error.name === "MycoError") throw error;
    throw unusable(path, error);
  }
}

/**
 * Runs `fn` again while SQLite says the database is locked, for up to the busy timeout
 * (sleeping a few ms between tries: opening is synchronous, like node:sqlite).
 */
function whileBusy<T>(fn: () => T): T {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let wait = 1;; wait = Math.min(50, wait * 2)) {
    try {
      return fn();
    } catch (error) {
      const busy = error instanceof Error && /database is locked|SQLITE_BUSY/i.test(error.message);
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, wait);
    }
  }
}

/** The schema version the file holds. */
function userVersion(db: Database): number {
  return Number(
    (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version,
  );
}

/**
 * Brings the schema up to date. The version is read again inside the write transaction
 * (`BEGIN IMMEDIATE`): of two processes opening a fresh file at once, the second waits for
 * the first's commit, then finds the schema made and applies nothing. All pending steps
 * commit together, so a crash leaves the file as it was.
 *
 * @returns the version the file had before this open
 */
function migrate(db: Database, path: string): number {
  const seen = userVersion(db); // no lock taken when the schema is already current
  if (seen === SCHEMA_VERSION) return seen;
  return transaction(db, () => {
    const current = userVersion(db);
    if (current > SCHEMA_VERSION) {
      throw createError(
        "invalid_input",
        `The database ${path} cannot be used: it has schema version ${current}, newer than ` +
          `this program's ${SCHEMA_VERSION} (upgrade mycoswarm). It was left as it is.`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version > current) db.exec(migration.sql);
    }
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    return current;
  });
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
