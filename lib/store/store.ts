/** The store: one SQLite database holding everything mycoswarm remembers. */

import { type Database, openDatabase } from "./database.ts";
import { IndexLog } from "./index_log.ts";
import { LibraryRepo } from "./library_repo.ts";
import { FactsRepo } from "./facts_repo.ts";
import { EpisodesRepo } from "./episodes_repo.ts";
import { ProceduresRepo } from "./procedures_repo.ts";
import { SCHEMA_VERSION } from "./migrations.ts";

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
   * Opens the store at `path` (`:memory:` for tests), creating and migrating it.
   *
   * @throws MycoError `invalid_input` when the file is not a usable database
   */
  static open(path: string): Store {
    const { db, migratedFrom } = openDatabase(path);
    return new Store(path, db, migratedFrom);
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
  }

  /** Closes the store at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.close();
  }
}
