/**
 * How many answers each querier gets: a token bucket per source (`address:port`),
 * in a table of bounded size whose least recently seen source is forgotten
 * first, so a flood of sources cannot grow memory. Pure: time comes in as an
 * argument.
 *
 * @module
 */

/** Sizes of {@linkcode SourceLimiter}. */
export interface SourceLimiterOptions {
  /** Answers a source can get at once (the bucket's size). */
  burst: number;
  /** One more answer is allowed every this many ms, up to `burst`. */
  refillMs: number;
  /** Sources remembered at most; the least recently seen is forgotten first. */
  maxSources: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets keyed by source, least recently used evicted first. */
export class SourceLimiter {
  readonly #options: SourceLimiterOptions;
  /** Insertion order is recency: a source seen again is moved to the end. */
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: SourceLimiterOptions) {
    this.#options = options;
  }

  /** Sources remembered now. */
  get size(): number {
    return this.#buckets.size;
  }

  /**
   * Takes one answer from `source`'s bucket at `now` (ms).
   *
   * @returns true when the source may be answered
   */
  take(source: string, now: number): boolean {
    const { burst, refillMs, maxSources } = this.#options;
    const bucket = this.#buckets.get(source);
    this.#buckets.delete(source);
    const elapsed = bucket === undefined ? Infinity : Math.max(0, now - bucket.at);
    const tokens = Math.min(burst, (bucket?.tokens ?? burst) + elapsed / refillMs);
    const allowed = tokens >= 1;
    this.#buckets.set(source, { tokens: allowed ? tokens - 1 : tokens, at: now });
    while (this.#buckets.size > maxSources) {
      this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    return allowed;
  }
}
