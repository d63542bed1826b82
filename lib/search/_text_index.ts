/**
 * Our own BM25 index (Okapi, with term frequency): a term dictionary (term → id), per-term
 * postings in typed-array pools (`_postings.ts`), each document's length in tokens and its
 * distinct term ids (to take it out again), all addressed by a document ordinal.
 *
 * Removal is a tombstone: the document's ordinal is marked dead and its terms' document
 * frequencies drop at once (so scores stay exact), while its postings stay in the pools until
 * garbage outgrows the live postings; then one compaction rewrites every array without the
 * dead (amortised O(1) per posting). Adding or removing a document costs in proportion to
 * its terms. The whole index is a handful of typed arrays plus the term strings, which is
 * what a snapshot stores (`_text_index_sections.ts`).
 */

import { createError } from "../core/mod.ts";
import { bm25Idf, bm25TermScore } from "./_bm25.ts";
import { grown, PostingLists } from "./_postings.ts";
import type { TextIndexData } from "./_text_index_sections.ts";
import { decodeSections, encodeSections } from "./_text_index_sections.ts";
import { tokenize } from "./_tokenizer.ts";
import { TopK } from "./_top_k.ts";

/** One BM25 hit: id and BM25 score. */
export interface TextHit {
  id: number;
  score: number;
}

/** Garbage below this many postings is never worth a compaction. */
const MIN_GARBAGE = 1 << 16;

/** Fresh arrays each time: the index grows (and pushes terms onto) what it adopts. */
const empty = (): TextIndexData => ({
  terms: [],
  termStarts: new Uint32Array(1),
  postingDocs: new Uint32Array(0),
  postingTfs: new Uint16Array(0),
  docIds: new Float64Array(0),
  docLengths: new Uint32Array(0),
  forwardStarts: new Uint32Array(1),
  forwardTerms: new Uint32Array(0),
});

/** A BM25 index of texts keyed by numeric ids. */
export class TextIndex {
  #dict = new Map<string, number>();
  #terms: string[] = [];
  #postings!: PostingLists;
  /** Per ordinal: the caller's id, length in tokens, 1 while indexed. */
  #ids!: Float64Array;
  #lengths!: Uint32Array;
  #alive!: Uint8Array;
  /** Ordinal o's distinct term ids are `#forward[#forwardStarts[o] .. #forwardStarts[o+1])`. */
  #forwardStarts!: Uint32Array;
  #forward!: Uint32Array;
  #ordinals = 0;
  #ordinalOf = new Map<number, number>();
  #totalLength = 0;
  #livePostings = 0;
  #deadPostings = 0;
  /** Scratch for add (tf per term id) and search (score per ordinal), kept between calls. */
  #tf = new Uint32Array(0);
  #scores = new Float64Array(0);

  private constructor(data: TextIndexData) {
    this.#adopt(data);
  }

  /** An empty index. */
  static create(): TextIndex {
    return new TextIndex(empty());
  }

  /**
   * Restores an index from {@linkcode TextIndex.toSections} output. Keeps views into the
   * given bytes (copied on the first growth). Throws on sections that do not fit together.
   */
  static fromSections(sections: readonly Uint8Array[]): TextIndex {
    return new TextIndex(decodeSections(sections));
  }

  /** The index as byte sections (fresh arrays the index never touches again). */
  toSections(): Uint8Array[] {
    return encodeSections(this.#compactData());
  }

  /** Documents held. */
  get size(): number {
    return this.#ordinalOf.size;
  }

  /** True when `id` is indexed. */
  has(id: number): boolean {
    return this.#ordinalOf.has(id);
  }

  /** Indexes `text` under `id` (which must not be indexed yet). */
  add(id: number, text: string): void {
    if (this.#ordinalOf.has(id)) {
      throw createError("internal", `Text index: id ${id} is already indexed`);
    }
    const tokens = tokenize(text);
    const postings = this.#postings;
    let tf = this.#tf;
    const distinct: number[] = [];
    for (const token of tokens) {
      let term = this.#dict.get(token);
      if (term === undefined) {
        term = postings.addTerm();
        this.#dict.set(token, term);
        this.#terms.push(token);
        if (term >= tf.length) tf = this.#tf = grown(tf, term + 1);
      }
      if (tf[term]!++ === 0) distinct.push(term);
    }
    const o = this.#ordinals++;
    this.#ids = grown(this.#ids, o + 1);
    this.#lengths = grown(this.#lengths, o + 1);
    this.#alive = grown(this.#alive, o + 1);
    this.#forwardStarts = grown(this.#forwardStarts, o + 2);
    const from = this.#forwardStarts[o]!;
    this.#forward = grown(this.#forward, from + distinct.length);
    for (let i = 0; i < distinct.length; i++) {
      const term = distinct[i]!;
      postings.append(term, o, tf[term]!);
      tf[term] = 0;
      this.#forward[from + i] = term;
    }
    this.#forwardStarts[o + 1] = from + distinct.length;
    this.#ids[o] = id, this.#lengths[o] = tokens.length, this.#alive[o] = 1;
    this.#ordinalOf.set(id, o);
    this.#totalLength += tokens.length;
    this.#livePostings += distinct.length;
    this.#compactIfWasteful();
  }

  /** Removes `id`; false when it was not indexed. */
  remove(id: number): boolean {
    const o = this.#ordinalOf.get(id);
    if (o === undefined) return false;
    this.#ordinalOf.delete(id);
    this.#alive[o] = 0;
    this.#totalLength -= this.#lengths[o]!;
    const from = this.#forwardStarts[o]!, to = this.#forwardStarts[o + 1]!;
    for (let i = from; i < to; i++) this.#postings.live[this.#forward[i]!]!--;
    this.#livePostings -= to - from;
    this.#deadPostings += to - from;
    this.#compactIfWasteful();
    return true;
  }

  /** The `limit` best BM25 matches for `text`, best first, ties to the lower id. */
  search(text: string, limit: number): TextHit[] {
    const docs = this.#ordinalOf.size;
    if (limit < 1 || docs === 0) return [];
    const terms = new Set<number>();
    for (const token of tokenize(text)) {
      const term = this.#dict.get(token);
      if (term !== undefined && this.#postings.live[term]! > 0) terms.add(term);
    }
    if (terms.size === 0) return [];
    const avgLength = this.#totalLength / docs;
    if (this.#scores.length < this.#ordinals) this.#scores = new Float64Array(this.#ordinals);
    const scores = this.#scores, alive = this.#alive, lengths = this.#lengths;
    const { docs: pool, tfs, start, length, live } = this.#postings;
    const touched: number[] = [];
    for (const term of terms) {
      const idf = bm25Idf(docs, live[term]!);
      const end = start[term]! + length[term]!;
      for (let i = start[term]!; i < end; i++) {
        const o = pool[i]!;
        if (alive[o] === 0) continue;
        if (scores[o] === 0) touched.push(o);
        scores[o] = scores[o]! + bm25TermScore(idf, tfs[i]!, lengths[o]!, avgLength);
      }
    }
    return this.#best(touched, limit);
  }

  /** The `limit` best of the touched ordinals; clears their scratch scores. */
  #best(touched: number[], limit: number): TextHit[] {
    const scores = this.#scores, ids = this.#ids;
    // The heap finds the cut score; every hit at or above it is then ordered by (score, id),
    // so a tie at the cut goes to the lower id, not the earlier-indexed.
    // Capped at the candidates: a limit of Infinity or 1e9 must not size the heap.
    const top = new TopK(Math.min(limit, touched.length));
    for (const o of touched) top.push(o, scores[o]!);
    const floor = top.size < limit ? -Infinity : top.floor;
    const hits: TextHit[] = [];
    for (const o of touched) {
      if (scores[o]! >= floor) hits.push({ id: ids[o]!, score: scores[o]! });
      scores[o] = 0;
    }
    return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
  }

  #compactIfWasteful(): void {
    const garbage = this.#postings.abandoned + this.#deadPostings;
    if (garbage > 2 * this.#livePostings + MIN_GARBAGE) this.#adopt(this.#compactData());
  }

  /** The live index as fresh, tight arrays, renumbered without removed documents and terms. */
  #compactData(): TextIndexData {
    const ordinals = new Int32Array(this.#ordinals).fill(-1);
    let docs = 0;
    for (let o = 0; o < this.#ordinals; o++) if (this.#alive[o]) ordinals[o] = docs++;
    const postings = this.#postings;
    const termMap = new Int32Array(postings.count).fill(-1);
    const terms: string[] = [];
    for (let t = 0; t < postings.count; t++) {
      if (postings.live[t]! > 0) termMap[t] = terms.push(this.#terms[t]!) - 1;
    }
    const csr = postings.compacted(ordinals, termMap, terms.length, this.#livePostings);
    const docIds = new Float64Array(docs), docLengths = new Uint32Array(docs);
    const forwardStarts = new Uint32Array(docs + 1);
    const forwardTerms = new Uint32Array(this.#livePostings);
    let at = 0;
    for (let o = 0; o < this.#ordinals; o++) {
      const to = ordinals[o]!;
      if (to < 0) continue;
      docIds[to] = this.#ids[o]!, docLengths[to] = this.#lengths[o]!;
      const end = this.#forwardStarts[o + 1]!;
      for (let i = this.#forwardStarts[o]!; i < end; i++) {
        forwardTerms[at++] = termMap[this.#forward[i]!]!;
      }
      forwardStarts[to + 1] = at;
    }
    return {
      terms,
      termStarts: csr.starts,
      postingDocs: csr.docs,
      postingTfs: csr.tfs,
      docIds,
      docLengths,
      forwardStarts,
      forwardTerms,
    };
  }

  /** Makes `data` (tight, all documents live) this index's state. */
  #adopt(data: TextIndexData): void {
    if (data.terms.length !== this.#terms.length || this.#dict.size !== data.terms.length) {
      this.#dict = new Map(data.terms.map((term, i) => [term, i]));
    }
    this.#terms = data.terms;
    this.#postings = new PostingLists({
      starts: data.termStarts,
      docs: data.postingDocs,
      tfs: data.postingTfs,
    });
    const docs = data.docIds.length;
    this.#ids = data.docIds;
    this.#lengths = data.docLengths;
    this.#alive = new Uint8Array(docs).fill(1);
    this.#forwardStarts = data.forwardStarts;
    this.#forward = data.forwardTerms;
    this.#ordinals = docs;
    this.#ordinalOf = new Map();
    this.#totalLength = 0;
    for (let o = 0; o < docs; o++) {
      this.#ordinalOf.set(data.docIds[o]!, o);
      this.#totalLength += data.docLengths[o]!;
    }
    this.#livePostings = data.postingDocs.length;
    this.#deadPostings = 0;
  }
}
