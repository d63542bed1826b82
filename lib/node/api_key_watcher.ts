/**
 * The daemon's view of the key file, kept current without a restart: at most once a second
 * it looks at the file's modification time, size and inode (an atomic write always makes a
 * new inode), and reads it again when any changed. So a key revoked in another process is
 * refused within about a second, and a quiet daemon costs one `stat` a second at most.
 *
 * @module
 */

import type { Clock, Logger } from "../core/mod.ts";
import { type ApiKeyRecord, readApiKeys } from "./api_keys.ts";

/** What identifies one version of the file; null when there is no file. */
export type FileStamp = string | null;

/** Options of {@linkcode ApiKeyWatcher}. */
export interface ApiKeyWatcherOptions {
  /** When the file was last looked at is measured on this clock. */
  clock: Clock;
  /** Told once when the file cannot be read or is damaged (every key is refused then). */
  logger?: Logger;
  /** Least time between two looks at the file, in ms. @default 1000 */
  checkIntervalMs?: number;
  /** The file's stamp, injectable for tests. @default mtime, size and inode from Deno.stat */
  stat?: (path: string) => Promise<FileStamp>;
  /** Reads the file, injectable for tests. @default Deno.readTextFile */
  readTextFile?: (path: string) => Promise<string>;
}

/**
 * The keys in the file as of at most `checkIntervalMs` ago.
 *
 * @example
 * ```ts
 * const watcher = new ApiKeyWatcher(config.paths.apiKeysFile, { clock, logger });
 * const keys = await watcher.keys();
 * ```
 */
export class ApiKeyWatcher {
  readonly #path: string;
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #intervalMs: number;
  readonly #stat: (path: string) => Promise<FileStamp>;
  readonly #read: (path: string) => Promise<string>;
  #keys: readonly ApiKeyRecord[] = [];
  /** The stamp of the file `#keys` came from; undefined before the first read. */
  #stamp: FileStamp | undefined = undefined;
  #checkedAt = -Infinity;
  #checking: Promise<readonly ApiKeyRecord[]> | null = null;
  #warned = false;

  /** Watches the key file at `path`; nothing is read before the first {@linkcode keys}. */
  constructor(path: string, options: ApiKeyWatcherOptions) {
    this.#path = path;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#intervalMs = options.checkIntervalMs ?? 1000;
    this.#stat = options.stat ?? statStamp;
    this.#read = options.readTextFile ?? Deno.readTextFile;
  }

  /** The current keys; a look at the file when the last one is older than the interval. */
  keys(): Promise<readonly ApiKeyRecord[]> {
    if (this.#clock.now() - this.#checkedAt < this.#intervalMs) {
      return this.#checking ?? Promise.resolve(this.#keys);
    }
    // Requests arriving together share one look.
    this.#checkedAt = this.#clock.now();
    return this.#checking ??= this.#refresh().finally(() => this.#checking = null);
  }

  async #refresh(): Promise<readonly ApiKeyRecord[]> {
    try {
      const stamp = await this.#stat(this.#path);
      if (stamp === this.#stamp) return this.#keys;
      this.#keys = stamp === null ? [] : await readApiKeys(this.#path, this.#read);
      this.#stamp = stamp;
      this.#warned = false;
    } catch (error) {
      // Fail closed: a file we cannot read may be hiding a revocation.
      this.#keys = [];
      this.#stamp = undefined;
      if (!this.#warned) {
        this.#warned = true;
        const why = error instanceof Error ? error.message : String(error);
        this.#logger?.warn(`API keys: ${why}; every client key is refused until it is fixed`);
      }
    }
    return this.#keys;
  }
}

async function statStamp(path: string): Promise<FileStamp> {
  try {
    const info = await Deno.stat(path);
    return `${info.mtime?.getTime()}:${info.size}:${info.ino}`;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
