/** PDF → text pages (via unpdf, pdf.js) → sections by a cheap heading heuristic. */

import { cleanText } from "./clean_text.ts";
import type { ExtractedSection } from "./extract_text.ts";

/** Why a PDF gave no text. */
export class PdfError extends Error {
  /** `unreadable`: corrupt, truncated or encrypted; `no_text`: pages without a text layer. */
  readonly kind: "unreadable" | "no_text";

  constructor(kind: "unreadable" | "no_text", message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PdfError";
    this.kind = kind;
  }
}

/**
 * The text of each page. pdf.js runs in-process (no worker), never fetches
 * anything (no font or CMap URLs are given; text extraction does not need
 * glyph data) and logs nothing (verbosity 0).
 *
 * @throws {PdfError} when the file cannot be parsed or no page has any text
 */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  // Loaded on first use: pdf.js is 1.6 MB of JavaScript most ingests never need.
  const { extractText, getDocumentProxy } = await import("unpdf");
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // A copy: pdf.js may take ownership of the buffer it is given.
    pdf = await getDocumentProxy(bytes.slice(), {
      verbosity: 0,
      disableFontFace: true,
      useWorkerFetch: false,
    });
    const { text } = await extractText(pdf, { mergePages: false });
    if (text.every((page) => page.trim() === "")) {
      throw new PdfError("no_text", "no extractable text (scanned PDF?)");
    }
    return text;
  } catch (error) {
    if (error instanceof PdfError) throw error;
    const name = error instanceof Error ? error.name : "";
    const reason = name === "PasswordException"
      ? "encrypted, a password is needed"
      : (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
    throw new PdfError("unreadable", `not a readable PDF: ${reason}`, { cause: error });
  } finally {
    await pdf?.loadingTask.destroy();
  }
}

/** PDF text split for ingestion. */
export interface PdfParts {
  firstHeading: string | null;
  /** Sections in order; text before the first heading has the title null. Never empty texts. */
  sections: ExtractedSection[];
}

/**
 * Joins pages, removes running headers, footers and page numbers across the
 * whole document (before they could pass for headings), rejoins words
 * hyphenated at line ends, and splits at lines that look like headings.
 */
export function splitPdfText(pages: readonly string[]): PdfParts {
  const text = cleanText(pages.join("\n\n")).replace(/(\p{Ll})-\n(\p{Ll})/gu, "$1$2");
  const lines = text.split("\n");
  const sections: ExtractedSection[] = [];
  let firstHeading: string | null = null;
  let title: string | null = null;
  let body: string[] = [];
  let previous = ""; // the line before, blank at the start
  let previousWasHeading = false;
  const lastTextLine = lines.findLastIndex((line) => line.trim() !== "");
  for (const [i, line] of lines.entries()) {
    // A heading needs text after it, and must start a block: not a line wrapped mid-sentence.
    const heading: boolean = i < lastTextLine && looksLikeHeading(line) &&
      (previousWasHeading || endsBlock(previous));
    if (heading) {
      const text = line.trim().replace(/\s+/g, " ");
      firstHeading ??= text;
      if (body.join("").trim() === "") {
        title = title === null ? text : `${title} — ${text}`; // "CHAPTER 2 — Spores"
      } else {
        sections.push({ title, text: body.join("\n").trim() });
        title = text;
      }
      body = [];
    } else {
      body.push(line);
    }
    previous = line;
    previousWasHeading = heading;
  }
  const rest = body.join("\n").trim();
  if (rest !== "") sections.push({ title, text: rest });
  return { firstHeading, sections };
}

const SMALL_WORDS = new Set(
  "a an and as at but by for from in into nor of on or the to vs via with".split(" "),
);

/**
 * A short line (under 10 words) in ALL CAPS or Title Case, not ending like a
 * sentence part.
 */
export function looksLikeHeading(line: string): boolean {
  const text = line.trim();
  if (text.length === 0 || text.length > 80 || /[.,;]$/.test(text)) return false;
  const words = text.split(/\s+/);
  if (words.length >= 10) return false;
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length < 2) return false;
  if (letters.every((ch) => ch === ch.toUpperCase() && ch !== ch.toLowerCase())) return true;
  const lettered = words.filter((word) => /^\p{L}/u.test(word));
  if (lettered.length === 0 || !/^\p{Lu}/u.test(lettered[0] ?? "")) return false;
  return lettered.every((word) => /^\p{Lu}/u.test(word) || SMALL_WORDS.has(word));
}

/** A heading follows a blank line, a page break or the end of a sentence. */
function endsBlock(previous: string): boolean {
  const text = previous.trim();
  return text === "" || /[.!?:)"”’']$/.test(text);
}
