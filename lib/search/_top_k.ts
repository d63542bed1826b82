/**
 * Keeps the `capacity` highest-scoring entries seen so far in a binary min-heap over typed
 * arrays, so a scan over N rows costs O(N) comparisons plus O(log capacity) per entry kept.
 */
export class TopK {
  readonly capacity: number;
  readonly #scores: Float64Array;
  readonly #keys: Int32Array;
  #size = 0;

  constructor(capacity: number) {
    // A fractional capacity would make the typed arrays throw; callers cap it at their count.
    this.capacity = Math.max(1, Math.floor(capacity));
    this.#scores = new Float64Array(this.capacity);
    this.#keys = new Int32Array(this.capacity);
  }

  /** Entries held. */
  get size(): number {
    return this.#size;
  }

  /** The lowest score held once full (entries must beat it); -Infinity until then. */
  get floor(): number {
    return this.#size < this.capacity ? -Infinity : this.#scores[0]!;
  }

  /** Offers an entry; kept if the heap is not full or it beats the lowest held. */
  push(key: number, score: number): void {
    const scores = this.#scores, keys = this.#keys;
    if (this.#size < this.capacity) {
      let i = this.#size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!below(score, key, scores[parent]!, keys[parent]!)) break;
        scores[i] = scores[parent]!, keys[i] = keys[parent]!;
        i = parent;
      }
      scores[i] = score, keys[i] = key;
      return;
    }
    if (!below(scores[0]!, keys[0]!, score, key)) return;
    let i = 0;
    const n = this.#size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && below(scores[right]!, keys[right]!, scores[child]!, keys[child]!)) {
        child = right;
      }
      if (!below(scores[child]!, keys[child]!, score, key)) break;
      scores[i] = scores[child]!, keys[i] = keys[child]!;
      i = child;
    }
    scores[i] = score, keys[i] = key;
  }

  /** The entries, best first (ties: lower key first), as parallel arrays. */
  sorted(): { keys: number[]; scores: number[] } {
    const order = Array.from({ length: this.#size }, (_, i) => i);
    const scores = this.#scores, keys = this.#keys;
    order.sort((a, b) => scores[b]! - scores[a]! || keys[a]! - keys[b]!);
    return { keys: order.map((i) => keys[i]!), scores: order.map((i) => scores[i]!) };
  }
}

/** True when entry a ranks below entry b (lower score; on a tie, the higher key). */
function below(scoreA: number, keyA: number, scoreB: number, keyB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && keyA > keyB);
}
