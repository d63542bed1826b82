/** A damaged database for tests: one table's root page overwritten, as a failing disk would. */

import { DatabaseSync } from "node:sqlite";

/**
 * Overwrites the root page of `table` in the (closed) database at `path` with garbage,
 * after folding its write-ahead log into the file.
 */
export async function overwriteRootPage(path: string, table: string): Promise<void> {
  const db = new DatabaseSync(path);
  let page: number;
  let size: number;
  try {
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const row = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = ?").get(table);
    if (row === undefined) throw new Error(`no table ${table} in ${path}`);
    page = Number(row.rootpage);
    size = Number(db.prepare("PRAGMA page_size").get()?.page_size);
  } finally {
    db.close();
  }
  using file = await Deno.open(path, { write: true });
  await file.seek((page - 1) * size, Deno.SeekMode.Start);
  await file.write(new Uint8Array(size).fill(0xa5));
}
