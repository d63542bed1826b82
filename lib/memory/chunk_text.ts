/** Text → overlapping word chunks, the unit that is embedded and searched. */

import { createError } from "../core/mod.ts";
import type { ExtractedDocument } from "./extract_text.ts";

/** Words per chunk: about 500 tokens, within every common embedding model's window. */
export const CHUNK_WORDS = 384;
/** Words shared by neighbouring chunks (10 %), so a sentence cut at a border is whole in one. */
export const CHUNK_OVERLAP = 38;

/** Options of {@linkcode chunkWords} and {@linkcode chunkDocument}. */
export interface ChunkOptions {
  /** Words per chunk. @default CHUNK_WORDS */
  size?: number;
  /** Words each chunk repeats from the end of the one before. @default CHUNK_OVERLAP */
  overlap?: number;
}

/** One chunk of a document. */
export interface DocumentChunk {
  /** The title of the section the chunk comes from. */
  section: string | null;
  text: string;
  /** 0-based place of the chunk in its document. */
  position: number;
}

/**
 * A "word" is a run of non-space characters, cut every 64 characters (a URL
 * or base64 blob is not one word of meaning), or a single CJK character
 * (those scripts put no spaces between words).
 */
const WORD =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]{1,64}/gu;

/**
 * Splits text into chunks of `size` words, each starting `size − overlap`
 * words after the one before; the last chunk ends at the text's end and may be
 * shorter. A text of at most `size` words gives one chunk, an empty text none.
 * Chunks keep the text's own spacing and line breaks.
 *
 * @example
 * ```ts
 * chunkWords("a b c d e", { size: 3, overlap: 1 }); // ["a b c", "c d e"]
 * ```
 */
export function chunkWords(text: string, options: ChunkOptions = {}): string[] {
  const { size = CHUNK_WORDS, overlap = CHUNK_OVERLAP } = options;
  if (!Number.isInteger(size) || size < 1) {
    throw createError("invalid_input", `Chunk size must be a whole number ≥ 1, not ${size}`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw createError("invalid_input", `Chunk overlap must be 0 to ${size - 1}, not ${overlap}`);
  }
  const words = [...text.matchAll(WORD)];
  const chunks: string[] = [];
  const step = size - overlap;
  for (let start = 0; start < words.length; start += step) {
    const end = Math.min(start + size, words.length);
    const first = words[start];
    const last = words[end - 1];
    if (first === undefined || last === undefined) break;
    chunks.push(text.slice(first.index, last.index + last[0].length));
    // Stop once a chunk reaches the end: a next one would lie inside this one.
    if (end === words.length) break;
  }
  return chunks;
}

/**
 * Chunks each section of a document on its own (a chunk never spans two
 * sections) and numbers the chunks 0…n−1 across the document.
 *
 * @example
 * ```ts
 * chunkDocument({ docType: "text", title: "t", sections: [{ title: "A", text: "x y" }] });
 * // [{ section: "A", text: "x y", position: 0 }]
 * ```
 */
export function chunkDocument(doc: ExtractedDocument, options: ChunkOptions = {}): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  for (const section of doc.sections) {
    for (const text of chunkWords(section.text, options)) {
      chunks.push({ section: section.title, text, position: chunks.length });
    }
  }
  return chunks;
}
