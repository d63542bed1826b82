/** The store: one SQLite database holding everything mycoswarm remembers. */

import { type Database, openDatabase } from "./database.ts";
import { IndexLog } from "./index_log.ts";
import { LibraryRepo } from "./library_repo.ts";
import { FactsRepo } from "./facts_repo.ts";
import { EpisodesRepo } from "./episodes_repo.ts";
import { ProceduresRepo } from "./procedures_repo.ts";
import { SCHEMA_VERSION } from "./migrations.ts";
import { damaged, markChecked, quickCheck, unchangedSinceCheck } from "./integrity.ts";

/** Options of {@linkcode Store.open}. */
export interface StoreOpenOptions {
  /**
   * When to run `PRAGMA quick_check` on open: `"changed"` when the file changed since the
   * last good check (not by mycoswarm's own writes), `"always"`, or `"never"`.
   * @default "changed"
   */
  check?: "changed" | "always" | "never";
}

/** The open database and its repositories. Close it when done. */
export class Store {
  /** The database file, or `:memory:`. */
  readonly path: string;
  /** Documents and their chunks. */
  readonly library: LibraryRepo;
  /** Facts the user asked to be remembered. */
  readonly facts: FactsRepo;
  /** Reflections on past sessions and their lessons. */
  readonly episodes: EpisodesRepo;
  /** Problem → solution exemplars. */
  readonly procedures: ProceduresRepo;
  /** Changes the search indexes must follow. */
  readonly indexLog: IndexLog;
  /** The schema version the file had before this open (0 = new file). */
  readonly migratedFrom: number;
  readonly #db: Database;
  #closed = false;
  /** True once a check found the file sound: its close then records the file as checked. */
  #sound = false;

  private constructor(path: string, db: Database, migratedFrom: number) {
    this.path = path;
    this.#db = db;
    this.migratedFrom = migratedFrom;
    this.indexLog = new IndexLog(db);
    this.library = new LibraryRepo(db, this.indexLog);
    this.facts = new FactsRepo(db);
    this.episodes = new EpisodesRepo(db, this.indexLog);
    this.procedures = new ProceduresRepo(db, this.indexLog);
  }

  /**
   * Opens the store at `path` (`:memory:` for tests), creating and migrating it, and
   * checks it for damage when it changed since its last good check.
   *
   * @throws MycoError `store_damaged` when the file is damaged, with what to do;
   *   `invalid_input` when it is newer than this program or cannot be opened
   */
  static open(path: string, options: StoreOpenOptions = {}): Store {
    const { db, migratedFrom } = openDatabase(path);
    const store = new Store(path, db, migratedFrom);
    const mode = options.check ?? "changed";
    if (mode !== "never") {
      try {
        store.check({ force: mode === "always" });
      } catch (error) {
        store.close();
        throw error;
      }
    }
    return store;
  }

  /**
   * Checks the database for damage (`PRAGMA quick_check`, which reads every page) unless
   * the file is as it was at the last good check.
   *
   * @param options `force`: check even when the file did not change
   * @returns false when the check was skipped, true when it ran and found the file sound
   * @throws MycoError `store_damaged` with the damage and what to do
   */
  check(options: { force?: boolean } = {}): boolean {
    if (this.path === ":memory:") return false;
    if (options.force !== true && unchangedSinceCheck(this.path)) {
      this.#sound = true;
      return false;
    }
    const problem = quickCheck(this.#db);
    if (problem !== null) {
      this.#sound = false;
      throw damaged(this.path, problem);
    }
    this.#sound = true;
    markChecked(this.path);
    return true;
  }

  /** The schema version now in force. */
  get schemaVersion(): number {
    return SCHEMA_VERSION;
  }

  /** Closes the database; safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
    // The file now holds this store's own writes (checkpointed on close): no check needed.
    if (this.#sound) markChecked(this.path);
  }

  /** Closes the store at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.close();
  }
}
