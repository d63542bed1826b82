/**
 * A small on-disk cache of search results so a repeated query costs nothing:
 * one JSON file per (provider, query, limit), written atomically, expiring
 * after a TTL, bounded in count with the oldest evicted first.
 */

import { type Clock, createError, systemClock, toHex, writeFileAtomic } from "../core/mod.ts";
import { isRecord } from "./_json_answer.ts";
import { clampLimit, queryKey } from "./query.ts";
import type { WebResult } from "./types.ts";

/** Search results stay fresh this long: the web moves, but not by the minute. */
export const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;
/** Entries kept at most (about 2–10 kB each). */
export const DEFAULT_CACHE_MAX_ENTRIES = 500;

/** Settings of {@linkcode WebCache}. */
export interface WebCacheOptions {
  /** The folder (under MYCOSWARM_HOME); made on first write. */
  dir: string;
  /** How long an answer stays fresh. @default {@linkcode DEFAULT_CACHE_TTL_MS} */
  ttlMs?: number | undefined;
  /** Entries kept at most; the oldest go first. @default {@linkcode DEFAULT_CACHE_MAX_ENTRIES} */
  maxEntries?: number | undefined;
  /** Injected so tests control expiry. @default systemClock */
  clock?: Clock | undefined;
}

interface CacheKey {
  provider: string;
  query: string;
  limit: number;
}

/** The search result cache. Failures to read are misses; a damaged file is dropped. */
export class WebCache {
  readonly #dir: string;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: Clock;

  /** Touches no disk yet: each entry is a file read when asked for. */
  constructor(options: WebCacheOptions) {
    this.#dir = options.dir.replace(/\/+$/, "") || "/";
    this.#ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
    this.#maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_CACHE_MAX_ENTRIES);
    this.#clock = options.clock ?? systemClock;
  }

  /** The cached results, or null when missing, expired or unreadable. */
  async get(provider: string, query: string, limit?: number): Promise<WebResult[] | null> {
    const key = cacheKey(provider, query, limit);
    const file = await this.#file(key);
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch {
      return null;
    }
    const entry = parseEntry(text);
    if (entry === null) {
      await Deno.remove(file).catch(() => {}); // damaged: forget it, the next set replaces it
      return null;
    }
    if (!sameKey(entry.key, key)) return null;
    if (this.#clock.now() - entry.storedAt >= this.#ttlMs) {
      await Deno.remove(file).catch(() => {});
      return null;
    }
    return entry.results;
  }

  /**
   * Stores results, then evicts the oldest entries past the bound.
   *
   * @throws MycoError `storage_failed` when the folder cannot be written
   */
  async set(provider: string, query: string, limit: number | undefined, results: WebResult[]) {
    const key = cacheKey(provider, query, limit);
    const file = await this.#file(key);
    const now = this.#clock.now();
    try {
      await Deno.mkdir(this.#dir, { recursive: true });
      const entry = JSON.stringify({ version: 1, key, storedAt: now, results });
      // A cache entry is cheap to lose in a crash: no fsync.
      await writeFileAtomic(file, entry, { sync: false });
      // The file time orders eviction; it follows the injected clock.
      await Deno.utime(file, now / 1000, now / 1000);
      await this.#evict();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw createError("storage_failed", `Cannot write the web cache in ${this.#dir}: ${why}`);
    }
  }

  async #evict(): Promise<void> {
    const entries: { path: string; time: number }[] = [];
    for await (const item of Deno.readDir(this.#dir)) {
      if (!item.isFile || !item.name.endsWith(".json")) continue;
      const path = `${this.#dir}/${item.name}`;
      const info = await Deno.stat(path).catch(() => null);
      if (info !== null) entries.push({ path, time: info.mtime?.getTime() ?? 0 });
    }
    if (entries.length <= this.#maxEntries) return;
    entries.sort((a, b) => a.time - b.time);
    for (const { path } of entries.slice(0, entries.length - this.#maxEntries)) {
      await Deno.remove(path).catch(() => {});
    }
  }

  async #file(key: CacheKey): Promise<string> {
    const bytes = new TextEncoder().encode(JSON.stringify(key));
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return `${this.#dir}/${toHex(digest.subarray(0, 16))}.json`;
  }
}

function cacheKey(provider: string, query: string, limit: number | undefined): CacheKey {
  return { provider, query: queryKey(query), limit: clampLimit(limit) };
}

function sameKey(a: unknown, b: CacheKey): boolean {
  return isRecord(a) && a.provider === b.provider && a.query === b.query && a.limit === b.limit;
}

function parseEntry(text: string): { key: unknown; storedAt: number; results: WebResult[] } | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data) || data.version !== 1 || typeof data.storedAt !== "number") return null;
  if (!Array.isArray(data.results) || !data.results.every(isWebResult)) return null;
  return { key: data.key, storedAt: data.storedAt, results: data.results };
}

function isWebResult(value: unknown): value is WebResult {
  return isRecord(value) && typeof value.title === "string" && typeof value.url === "string" &&
    typeof value.snippet === "string";
}
