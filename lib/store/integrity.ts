/**
 * Damage found early: `PRAGMA quick_check` on open and on the daemon's schedule, skipped
 * while the file is as it was at the last good check (quick_check reads every page, so a
 * big library would pay seconds on every command otherwise).
 *
 * The last good check is remembered beside the database (`memory.db.checked`): the main
 * file's size, modification and change times and inode. A store that passed its check
 * records the file again when it closes, so mycoswarm's own writes never cost a check;
 * anything else that touches the file (a copy, a restore, a stray write) does.
 */

import { createError, type MycoError } from "../core/mod.ts";
import type { Database } from "./database.ts";

/** SQLite's primary result codes for a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB. */
const DAMAGE_CODES = new Set([11, 26]);

/** SQLite's messages for those codes: `exec()` errors carry no `errcode`. */
const DAMAGE_MESSAGES = /file is not a database|database disk image is malformed/;

/** True when `error` is SQLite saying the file is damaged or not a database at all. */
export function isDamage(error: unknown): boolean {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof code === "number") return DAMAGE_CODES.has(code & 0xff);
  return error instanceof Error && DAMAGE_MESSAGES.test(error.message);
}

/** The error for a damaged database, with what to do about it. */
export function damaged(path: string, detail: string): MycoError {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return createError("store_damaged", `${path} is damaged (${detail})`, {
    hint: [
      `Memory is off until it is repaired. Stop mycoswarm (the daemon too) and keep a copy of`,
      `${name}, ${name}-wal and ${name}-shm. Then either recover what can still be read, with`,
      `the sqlite3 shell (3.29 or later, as sqlite.org builds it; .recover needs its dbpage table):`,
      `  sqlite3 ${name} .recover | sqlite3 ${name}.recovered`,
      `and put ${name}.recovered in place of ${name}, removing ${name}-wal and ${name}-shm; or`,
      `move all three aside to start with empty memory (then \`mycoswarm library ingest\` your`,
      `documents again). Either way remove the index folder beside it: the search indexes are`,
      `rebuilt from the database.`,
    ].join("\n"),
  });
}

/**
 * Runs `PRAGMA quick_check`: the structure of every page and the records in them, without
 * the index-to-table cross-check of `integrity_check` (which costs several times more).
 *
 * @returns what is wrong, or null when the database is sound
 */
export function quickCheck(db: Database): string | null {
  let rows: { quick_check?: unknown }[];
  try {
    rows = db.prepare("PRAGMA quick_check(5)").all() as { quick_check?: unknown }[];
  } catch (error) {
    if (isDamage(error)) return (error as Error).message;
    throw error;
  }
  const problems = rows.map((r) => String(r.quick_check ?? Object.values(r)[0]));
  if (problems.length === 1 && problems[0] === "ok") return null;
  return problems.join("; ");
}

/** The file as a check saw it, to tell later whether anything changed it. */
function fingerprint(path: string): string | null {
  try {
    const info = Deno.statSync(path);
    return JSON.stringify([
      info.size,
      info.mtime?.getTime() ?? null,
      info.ctime?.getTime() ?? null,
      info.ino,
    ]);
  } catch {
    return null;
  }
}

/** Where the last good check is remembered. */
function markFile(path: string): string {
  return `${path}.checked`;
}

/** True when the file is as the last good check left it. */
export function unchangedSinceCheck(path: string): boolean {
  const now = fingerprint(path);
  if (now === null) return false;
  try {
    return Deno.readTextFileSync(markFile(path)) === now;
  } catch {
    return false;
  }
}

/** Remembers the file as it is now as checked and sound; best effort. */
export function markChecked(path: string): void {
  const now = fingerprint(path);
  if (now === null) return;
  try {
    Deno.writeTextFileSync(markFile(path), now);
  } catch {
    // Without the mark the next open checks again: slower, never wrong.
  }
}
