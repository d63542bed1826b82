/**
 * Cleans extracted text before chunking: drops page furniture (running
 * headers and footers, page numbers, copyright lines) and tidies whitespace.
 */

import type { DocType, ExtractedDocument } from "./extract_text.ts";

/** Options of {@linkcode cleanText}. */
export interface CleanTextOptions {
  /**
   * Drop boilerplate: lines repeated 3+ times, bare page numbers, copyright
   * lines. Turn it off for source code and data, where repeated lines and
   * bare numbers are content.
   * @default true
   */
  boilerplate?: boolean;
}

/** A line seen this often in one document is a running header or footer. */
export const REPEATED_LINE_MIN = 3;

/** Longer lines mentioning © are prose about copyright, not a copyright notice. */
const COPYRIGHT_MAX_WORDS = 25;

const PAGE_NUMBER_PATTERNS = [
  /^[-–—]?\s*\d{1,3}\s*[-–—]?$/, // "12", "- 12 -"
  /^(?:page|pg\.?|p\.)\s*(?:\d+|[ivxlcdm]+)(?:\s*(?:of|\/)\s*\d+)?$/i, // "Page 3", "PAGE 3 OF 9"
  /^\d+\s*(?:of|\/)\s*\d+$/i, // "3 of 9", "3 / 9"
];

const COPYRIGHT =
  /©|\(c\)\s*\d{4}|all rights reserved|^copyright\b.*(?:\d{4}|\(c\)|\binc\b|\bltd\b|\bllc\b)/i;

/** Types whose repeated lines and bare numbers are content. */
const DATA_TYPES: ReadonlySet<DocType> = new Set(["code", "csv", "json"]);

/**
 * Cleans one text: drops lines repeated 3+ times (Markdown headings and lines
 * of bare punctuation kept), bare page-number lines ("12", "- 12 -", "Page 3",
 * "Page 3 of 9"), short copyright lines; removes trailing spaces and collapses
 * runs of blank lines into one.
 *
 * @example
 * ```ts
 * cleanText("Hello\n\n\n\n\nWorld"); // "Hello\n\nWorld"
 * ```
 */
export function cleanText(text: string, options: CleanTextOptions = {}): string {
  const lines = splitLines(text);
  const boilerplate = options.boilerplate ?? true;
  return cleanLines(lines, boilerplate ? repeatedLines([lines]) : null);
}

/**
 * Cleans every section of a document, counting repeated lines across the
 * whole document (a running footer repeats once per page or section, rarely
 * 3 times in one). Boilerplate rules are skipped for code, CSV and JSON.
 * Sections left without text are dropped.
 */
export function cleanDocument(doc: ExtractedDocument): ExtractedDocument {
  const texts = doc.sections.map((section) => splitLines(section.text));
  const repeated = DATA_TYPES.has(doc.docType) ? null : repeatedLines(texts);
  const sections = doc.sections
    .map((section, i) => ({ title: section.title, text: cleanLines(texts[i] ?? [], repeated) }))
    .filter((section) => section.text !== "");
  return { ...doc, sections };
}

/** Options for {@linkcode cleanText} fitting a document type. */
export function cleanOptionsFor(docType: DocType): CleanTextOptions {
  return { boilerplate: !DATA_TYPES.has(docType) };
}

function splitLines(text: string): string[] {
  return text
    .replace(/\r\n?|\f/g, "\n")
    .replace(/[\u00ad\u200b\ufeff]/g, "") // soft hyphens, zero-width spaces, stray BOMs
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""));
}

/**
 * @param repeated keys of lines to drop as repeated, or null to keep every
 *   line as content (boilerplate rules off)
 */
function cleanLines(lines: readonly string[], repeated: ReadonlySet<string> | null): string {
  const kept = repeated === null ? lines : lines.filter((line) => {
    const key = keyOf(line);
    if (key === "") return true;
    if (repeated.has(key)) return false;
    if (PAGE_NUMBER_PATTERNS.some((pattern) => pattern.test(key))) return false;
    return !(COPYRIGHT.test(key) && key.split(" ").length <= COPYRIGHT_MAX_WORDS);
  });
  return kept.join("\n").replace(/\n{3,}/g, "\n\n").replace(/^\n+|\n+$/g, "");
}

/** Keys of the lines found {@linkcode REPEATED_LINE_MIN}+ times across `texts`. */
function repeatedLines(texts: readonly (readonly string[])[]): Set<string> {
  const counts = new Map<string, number>();
  for (const lines of texts) {
    for (const line of lines) {
      const key = keyOf(line);
      if (key === "" || isStructure(key)) continue;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const repeated = new Set<string>();
  for (const [key, count] of counts) if (count >= REPEATED_LINE_MIN) repeated.add(key);
  return repeated;
}

/** Markdown headings and lines without a letter or digit (rules, fences) are never boilerplate. */
function isStructure(key: string): boolean {
  return /^#{1,6}(?:\s|$)/.test(key) || !/[\p{L}\p{N}]/u.test(key);
}

function keyOf(line: string): string {
  return line.trim().replace(/\s+/g, " ");
}
