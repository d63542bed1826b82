/**
 * The postings of every term in two parallel pools (document ordinal as Uint32, term
 * frequency as Uint16, saturating), each term's postings one contiguous region in ordinal
 * order. A full region moves to the pool's end at twice its capacity and the old one is left
 * behind as garbage, which the owner reclaims with {@linkcode PostingLists.compacted}: appends
 * cost amortised O(1) and the index holds a few typed arrays whatever its vocabulary.
 */

/** A typed array we grow. */
type Grown = Uint32Array | Uint16Array | Uint8Array | Float64Array;

/** `array` itself when it holds `need` elements, else a copy with room to spare. */
export function grown<T extends Grown>(array: T, need: number): T {
  if (need <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(
    Math.max(need, Math.ceil(array.length * 1.5), 16),
  );
  next.set(array);
  return next;
}

/** Term frequencies saturate at this count (Uint16); BM25 barely moves past a few dozen. */
export const MAX_TF = 0xffff;

/** Postings in compressed-sparse-row form: term t's postings are `[starts[t], starts[t+1])`. */
export interface PostingsCsr {
  starts: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
}

/** Growable per-term posting lists over two pools. */
export class PostingLists {
  /** Document ordinal of each posting. */
  docs: Uint32Array;
  /** Term frequency of each posting. */
  tfs: Uint16Array;
  /** Pool slots in use (live, dead and abandoned). */
  used: number;
  /** Each term's region start, postings held and region capacity. */
  start: Uint32Array;
  length: Uint32Array;
  capacity: Uint32Array;
  /** Postings of documents still indexed, per term: the term's document frequency. */
  live: Uint32Array;
  /** Terms held. */
  count: number;
  /** Pool slots left behind by regions that moved. */
  abandoned = 0;

  /** Lists from compacted postings (views kept; they are copied on the first growth). */
  constructor(csr: PostingsCsr) {
    const terms = csr.starts.length - 1;
    this.docs = csr.docs;
    this.tfs = csr.tfs;
    this.used = csr.docs.length;
    this.count = terms;
    this.start = csr.starts.slice(0, terms);
    this.length = new Uint32Array(terms);
    for (let t = 0; t < terms; t++) this.length[t] = csr.starts[t + 1]! - csr.starts[t]!;
    this.capacity = this.length.slice();
    this.live = this.length.slice();
  }

  /** Adds a term with no postings; its id. */
  addTerm(): number {
    const t = this.count++;
    if (t >= this.start.length) {
      this.start = grown(this.start, t + 1);
      this.length = grown(this.length, t + 1);
      this.capacity = grown(this.capacity, t + 1);
      this.live = grown(this.live, t + 1);
    }
    this.start[t] = this.used, this.length[t] = 0, this.capacity[t] = 0, this.live[t] = 0;
    return t;
  }

  /** Appends a posting to `term` (ordinals must come in increasing order per term). */
  append(term: number, doc: number, tf: number): void {
    let length = this.length[term]!;
    if (length === this.capacity[term]!) this.#move(term, Math.max(2, length * 2));
    const at = this.start[term]! + length++;
    this.docs[at] = doc;
    this.tfs[at] = Math.min(tf, MAX_TF);
    this.length[term] = length;
    this.live[term]!++;
  }

  /**
   * The live postings as fresh compact arrays: ordinal o becomes `ordinals[o]` (dropped when
   * -1), term t becomes `terms[t]` (dropped when -1; kept terms stay in order).
   */
  compacted(ordinals: Int32Array, terms: Int32Array, termCount: number, total: number) {
    const starts = new Uint32Array(termCount + 1);
    const docs = new Uint32Array(total), tfs = new Uint16Array(total);
    let out = 0;
    for (let t = 0; t < this.count; t++) {
      const to = terms[t]!;
      if (to < 0) continue;
      starts[to] = out;
      const end = this.start[t]! + this.length[t]!;
      for (let i = this.start[t]!; i < end; i++) {
        const doc = ordinals[this.docs[i]!]!;
        if (doc < 0) continue;
        docs[out] = doc, tfs[out] = this.tfs[i]!, out++;
      }
    }
    starts[termCount] = out;
    return { starts, docs, tfs } satisfies PostingsCsr;
  }

  #move(term: number, capacity: number): void {
    const from = this.start[term]!, length = this.length[term]!;
    // A region at the pool's end grows in place.
    const at = from + this.capacity[term]! === this.used ? from : this.used;
    const end = at + capacity;
    this.docs = grown(this.docs, end);
    this.tfs = grown(this.tfs, end);
    if (at !== from) {
      this.docs.copyWithin(at, from, from + length);
      this.tfs.copyWithin(at, from, from + length);
      this.abandoned += this.capacity[term]!;
    }
    this.used = end;
    this.start[term] = at;
    this.capacity[term] = capacity;
  }
}
