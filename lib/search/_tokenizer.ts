/**
 * The BM25 tokenizer handed to Orama: Unicode letters and digits (any script, unlike
 * Orama's default English splitter, which drops non-Latin text), lower-cased, accents
 * folded, English stop words and over-long tokens dropped, each distinct token once
 * (Orama's default behaviour, so its token counts are document frequencies).
 *
 * Its output re-tokenises to itself, which removal relies on: a document is removed by
 * re-tokenising the space-joined tokens it was indexed with.
 */

import type { Tokenizer } from "@orama/orama";
import { STOP_WORDS } from "./_stop_words.ts";

/** Longer tokens (hashes, base64, minified code) are dropped: no one searches for them. */
export const MAX_TOKEN_LENGTH = 40;

const SPLIT = /[^\p{L}\p{N}\p{M}]+/u;
// The same split for ASCII-only text, several times faster than the Unicode classes.
const ASCII_SPLIT = /[^a-z0-9]+/;
// Anything but printable ASCII, tab and newlines takes the Unicode path.
const NON_ASCII = /[^ -~\t\n\r]/;
const MARKS = /\p{M}+/gu;

/** Splits `text` into its distinct index tokens, in first-seen order. */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  const unicode = NON_ASCII.test(lower);
  const seen = new Set<string>();
  for (const raw of lower.split(unicode ? SPLIT : ASCII_SPLIT)) {
    if (raw === "" || raw.length > MAX_TOKEN_LENGTH) continue;
    const token = unicode ? raw.normalize("NFD").replace(MARKS, "") : raw;
    if (token !== "" && !STOP_WORDS.has(token)) seen.add(token);
  }
  return [...seen];
}

/** An Orama tokenizer component around {@linkcode tokenize}. */
export function createTokenizer(): Tokenizer {
  return {
    language: "english",
    normalizationCache: new Map(),
    tokenize: (raw: string) => tokenize(raw),
  };
}
