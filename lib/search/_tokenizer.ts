/**
 * The BM25 tokenizer: Unicode letters and digits (any script), lower-cased, accents folded,
 * English stop words and over-long tokens dropped, English words Porter-stemmed (so "backups"
 * finds "backup"). Every occurrence is returned, repeats kept, so the index can count term
 * frequency. Index and query go through the same function, so they always agree.
 *
 * Code identifiers keep their exact name: a word with `_` or `.` inside, an inner capital
 * (`getElementById`, `HTTPServer`) or letters next to digits (`utf8`) yields the whole name
 * lower-cased, unstemmed, AND its stemmed parts. `dirs_exist_ok` gives `dirs_exist_ok`, `dir`,
 * `exist`, `ok`; a query for the name matches its parts too, and the rare whole name ranks the
 * chunks that contain it exactly first.
 *
 * Chinese, Japanese and Korean write words without spaces between them, so a run of their
 * characters yields its overlapping pairs (`東京タワー` gives `東京`, `京タ`, `タワ`, `ワー`; a
 * lone character itself): a word inside a sentence is then found by the pairs it shares.
 */

import { stemmer } from "stemmer";
import { STOP_WORDS } from "./_stop_words.ts";

/** Longer tokens (hashes, base64, minified code) are dropped: no one searches for them. */
export const MAX_TOKEN_LENGTH = 40;

// Words with the identifier joiners `_` and `.`; the ASCII split is several times faster.
const SPLIT = /[^\p{L}\p{N}\p{M}_.]+/u;
const ASCII_SPLIT = /[^A-Za-z0-9_.]+/;
// Anything but printable ASCII, tab and newlines takes the Unicode path.
const NON_ASCII = /[^ -~\t\n\r]/;
const MARKS = /\p{M}+/gu;
const EDGES = /^[_.]+|[_.]+$/g;
const IDENTIFIER = /[_.]|\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll}{2}|\p{L}\p{N}|\p{N}\p{L}/u;
const PARTS =
  /[_.]+|(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll}{2})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u;
const ENGLISH = /^[a-z]+$/;
// Script extensions, so the Japanese long-vowel mark `ー` counts with the kana around it.
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const CJK_RUNS = /([\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+)/u;

/** Analysed words by surface form: a text repeats most of its words, and stemming is slow. */
const cache = new Map<string, readonly string[]>();
/** The cache is emptied when it reaches this many words, which bounds its memory. */
const CACHE_LIMIT = 100_000;

/** Splits `text` into its index terms, every occurrence in order (repeats kept). */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  const words = text.split(NON_ASCII.test(text) ? SPLIT : ASCII_SPLIT);
  for (const word of words) {
    if (word === "") continue;
    let analysed = cache.get(word);
    if (analysed === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      analysed = analyse(word);
      cache.set(word, analysed);
    }
    for (const term of analysed) terms.push(term);
  }
  return terms;
}

/** The terms of one word, as it appears in the text (case kept, to see inner capitals). */
function analyse(raw: string): readonly string[] {
  // The split's odd parts are the CJK runs it captured; the others hold none.
  if (CJK.test(raw)) {
    return raw.split(CJK_RUNS).flatMap((part, i) => i % 2 ? pairs(part) : analyse(part));
  }
  const word = raw.replace(EDGES, "");
  if (word === "") return [];
  if (!IDENTIFIER.test(word)) {
    const term = plainTerm(word);
    return term === null ? [] : [term];
  }
  const terms: string[] = [];
  const whole = fold(word);
  if (whole.length <= MAX_TOKEN_LENGTH) terms.push(whole);
  for (const part of word.split(PARTS)) {
    const term = part === "" ? null : plainTerm(part);
    if (term !== null) terms.push(term);
  }
  return terms;
}

/** An ordinary word's term: folded, stemmed when English; null for stop words and noise. */
function plainTerm(word: string): string | null {
  const folded = fold(word);
  if (folded === "" || folded.length > MAX_TOKEN_LENGTH || STOP_WORDS.has(folded)) return null;
  return ENGLISH.test(folded) ? stemmer(folded) : folded;
}

/** A CJK run's overlapping pairs of characters (code points), or the lone character. */
function pairs(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  return chars.slice(1).map((char, i) => chars[i] + char);
}

function fold(word: string): string {
  const lower = word.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize("NFD").replace(MARKS, "") : lower;
}
