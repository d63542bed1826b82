/**
 * A text index as byte sections, each one typed array's bytes (little-endian, as every
 * platform Deno runs on), so loading is viewing, not parsing: only the term strings are
 * decoded (one UTF-8 section, newline-separated; terms never hold a newline) to rebuild the
 * term dictionary. Decoding checks that the arrays fit together and throws otherwise.
 */

import { createError } from "../core/mod.ts";

/** A compacted text index: every document live, every term held by some document. */
export interface TextIndexData {
  /** Term id → term. */
  terms: string[];
  /** Term t's postings are `[termStarts[t], termStarts[t + 1])`; terms + 1 entries. */
  termStarts: Uint32Array;
  /** Each posting's document ordinal, increasing within a term. */
  postingDocs: Uint32Array;
  /** Each posting's term frequency. */
  postingTfs: Uint16Array;
  /** Ordinal → the caller's id. */
  docIds: Float64Array;
  /** Ordinal → length in tokens. */
  docLengths: Uint32Array;
  /** Ordinal o's term ids are `forwardTerms[forwardStarts[o] .. forwardStarts[o + 1])`. */
  forwardStarts: Uint32Array;
  /** Each document's distinct term ids. */
  forwardTerms: Uint32Array;
}

/** Bumped when the sections' layout or meaning changes. */
const LAYOUT = 1;
const SECTIONS = 9;

const bytes = (a: Uint32Array | Uint16Array | Float64Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** `data` as sections: a Float64 header, the terms, then the arrays in field order. */
export function encodeSections(data: TextIndexData): Uint8Array[] {
  const header = new Float64Array([
    LAYOUT,
    data.terms.length,
    data.docIds.length,
    data.postingDocs.length,
    data.forwardTerms.length,
  ]);
  return [
    bytes(header),
    new TextEncoder().encode(data.terms.join("\n")),
    bytes(data.termStarts),
    bytes(data.postingDocs),
    bytes(data.postingTfs),
    bytes(data.docIds),
    bytes(data.docLengths),
    bytes(data.forwardStarts),
    bytes(data.forwardTerms),
  ];
}

/** Views `sections` as index data; throws when they are not from {@linkcode encodeSections}. */
export function decodeSections(sections: readonly Uint8Array[]): TextIndexData {
  if (sections.length !== SECTIONS) fail(`${sections.length} sections, expected ${SECTIONS}`);
  const [header, text, ...arrays] = sections as [Uint8Array, Uint8Array, ...Uint8Array[]];
  const head = view(Float64Array, header, 5, "header");
  const [layout, termCount, docs, postings, forward] = head as unknown as number[];
  if (layout !== LAYOUT) fail(`layout ${layout}, expected ${LAYOUT}`);
  const terms = termCount === 0 ? [] : new TextDecoder().decode(text).split("\n");
  if (terms.length !== termCount) fail(`${terms.length} terms, header says ${termCount}`);
  const data: TextIndexData = {
    terms,
    termStarts: view(Uint32Array, arrays[0]!, termCount! + 1, "term starts"),
    postingDocs: view(Uint32Array, arrays[1]!, postings!, "posting documents"),
    postingTfs: view(Uint16Array, arrays[2]!, postings!, "term frequencies"),
    docIds: view(Float64Array, arrays[3]!, docs!, "document ids"),
    docLengths: view(Uint32Array, arrays[4]!, docs!, "document lengths"),
    forwardStarts: view(Uint32Array, arrays[5]!, docs! + 1, "document term starts"),
    forwardTerms: view(Uint32Array, arrays[6]!, forward!, "document terms"),
  };
  check(data);
  return data;
}

/** Checks every offset and reference, O(size): a bad file must not crash a search later. */
function check(data: TextIndexData): void {
  ascending(data.termStarts, data.postingDocs.length, "term starts");
  ascending(data.forwardStarts, data.forwardTerms.length, "document term starts");
  if (data.forwardTerms.length !== data.postingDocs.length) fail("document terms ≠ postings");
  const docs = data.docIds.length, terms = data.terms.length;
  const { postingDocs, postingTfs, forwardTerms } = data;
  for (let i = 0; i < postingDocs.length; i++) {
    if (postingDocs[i]! >= docs || postingTfs[i] === 0 || forwardTerms[i]! >= terms) {
      fail(`posting ${i} refers to no document or term, or counts 0`);
    }
  }
  if (new Set(data.docIds).size !== docs || !data.docIds.every(Number.isSafeInteger)) {
    fail("document ids not distinct integers");
  }
  if (new Set(data.terms).size !== terms) fail("terms not distinct");
}

function ascending(starts: Uint32Array, total: number, what: string): void {
  if (starts[0] !== 0 || starts[starts.length - 1] !== total) fail(`${what} do not span`);
  for (let i = 1; i < starts.length; i++) {
    if (starts[i]! < starts[i - 1]!) fail(`${what} not ascending`);
  }
}

type ArrayType<T> = {
  new (b: ArrayBufferLike, o: number, n: number): T;
  BYTES_PER_ELEMENT: number;
};

/** `count` elements over `section`'s bytes (copied when misaligned for the element size). */
function view<T>(type: ArrayType<T>, section: Uint8Array, count: number, what: string): T {
  if (!Number.isSafeInteger(count) || count < 0) fail(`bad ${what} count ${count}`);
  if (section.byteLength !== count * type.BYTES_PER_ELEMENT) {
    fail(`${what}: ${section.byteLength} bytes for ${count} entries`);
  }
  const at = section.byteOffset % type.BYTES_PER_ELEMENT === 0 ? section : section.slice();
  return new type(at.buffer, at.byteOffset, count);
}

function fail(why: string): never {
  throw createError("internal", `Search text index snapshot is inconsistent: ${why}`);
}
