/** File bytes → a document's title and text sections, by file type. */

import { basename, extname } from "node:path";
import { createError } from "../core/mod.ts";
import { csvText } from "./_csv_text.ts";
import { decodeText, isBinary } from "./_decode_text.ts";
import { splitHtml } from "./_html_sections.ts";
import { jsonText } from "./_json_text.ts";
import { splitMarkdown } from "./_markdown_sections.ts";
import { PdfError, pdfPages, splitPdfText } from "./_pdf_sections.ts";

/** The kinds of file the library ingests. */
export type DocType = "markdown" | "text" | "html" | "pdf" | "csv" | "json" | "code";

/** A part of a document under one heading. */
export interface ExtractedSection {
  /** The heading, or null for text before the first heading or in a document without any. */
  title: string | null;
  text: string;
}

/** A document's text, ready for cleaning and chunking. */
export interface ExtractedDocument {
  docType: DocType;
  /** The front matter title (Markdown), `<title>` (HTML), or first heading; else the file name. */
  title: string;
  /** In document order; at least one, none with blank text. */
  sections: ExtractedSection[];
}

const EXTENSIONS: Readonly<Record<string, DocType>> = {
  ...of("markdown", "md", "markdown", "mdown", "mkd", "mdx"),
  ...of("text", "txt", "text", "rst", "org", "adoc"),
  ...of("html", "html", "htm", "xhtml"),
  ...of("pdf", "pdf"),
  ...of("csv", "csv", "tsv"),
  ...of("json", "json"),
  ...of(
    "code",
    ...["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs", "py", "pyi", "rs", "go", "java"],
    ...["c", "h", "cpp", "cc", "cxx", "hpp", "hh", "cs", "rb", "php", "sh", "bash", "zsh", "fish"],
    ...["ps1", "swift", "kt", "kts", "scala", "lua", "sql", "toml", "yaml", "yml", "ini", "cfg"],
    ...["r", "jl", "dart", "ex", "exs", "erl", "hs", "ml", "clj", "zig", "nim", "pl", "vue"],
    ...["svelte", "css", "scss", "xml", "gradle", "proto", "graphql", "tf"],
  ),
};

/** Code files known by name rather than extension. */
const CODE_FILE_NAMES = new Set(["makefile", "dockerfile", "justfile", "rakefile", "gemfile"]);

function of(type: DocType, ...extensions: string[]): Record<string, DocType> {
  return Object.fromEntries(extensions.map((ext) => [`.${ext}`, type]));
}

/**
 * The document type of a path, by its extension (case-insensitive), or null
 * when the library does not ingest such files.
 *
 * @example
 * ```ts
 * docTypeOf("notes/Plan.MD"); // "markdown"
 * docTypeOf("photo.png"); // null
 * ```
 */
export function docTypeOf(path: string): DocType | null {
  const name = basename(path).toLowerCase();
  if (CODE_FILE_NAMES.has(name)) return "code";
  return EXTENSIONS[extname(name)] ?? null;
}

/**
 * Extracts the title and text sections of a file. Markdown and HTML are split
 * at their `#`–`####` / `h1`–`h4` headings, PDFs at lines that look like
 * headings; other types give one section.
 *
 * @param path the file's path: its extension picks the type; it names the file in errors
 * @param bytes the file's content
 * @returns the document; its sections are never empty
 * @throws {MycoError} `invalid_input` naming the file for an unsupported type,
 *   an empty or binary file, an unreadable or scanned PDF, invalid JSON
 */
export async function extractDocument(path: string, bytes: Uint8Array): Promise<ExtractedDocument> {
  const docType = docTypeOf(path);
  const fail = (reason: string, cause?: unknown) =>
    createError("invalid_input", `${path}: ${reason}`, cause === undefined ? {} : { cause });
  if (docType === null) throw fail("unsupported file type");
  if (bytes.length === 0) throw fail("empty file");
  const fileName = basename(path);

  if (docType === "pdf") {
    try {
      const { firstHeading, sections } = splitPdfText(await pdfPages(bytes));
      return result(docType, firstHeading ?? fileName, sections, fail);
    } catch (error) {
      if (error instanceof PdfError) throw fail(error.message, error.cause);
      throw error;
    }
  }

  if (isBinary(bytes)) throw fail("binary content, not text");
  const text = decodeText(bytes);
  if (text.trim() === "") throw fail("empty file (only whitespace)");

  switch (docType) {
    case "markdown": {
      const { frontMatterTitle, firstHeading, sections } = splitMarkdown(text);
      return result(docType, frontMatterTitle ?? firstHeading ?? fileName, sections, fail);
    }
    case "html": {
      const { title, sections } = splitHtml(text);
      return result(docType, title ?? fileName, sections, fail);
    }
    case "csv":
      return result(docType, fileName, [{ title: null, text: csvText(text) }], fail);
    case "json": {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw fail(`invalid JSON: ${error instanceof Error ? error.message : error}`, error);
      }
      return result(docType, fileName, [{ title: null, text: jsonText(value) }], fail);
    }
    case "code":
      return result(docType, fileName, [{ title: fileName, text }], fail);
    case "text":
      return result(docType, fileName, [{ title: null, text }], fail);
  }
}

function result(
  docType: DocType,
  title: string,
  sections: ExtractedSection[],
  fail: (reason: string) => Error,
): ExtractedDocument {
  const kept = sections.filter((section) => section.text.trim() !== "");
  if (kept.length === 0) throw fail("no text content");
  return { docType, title, sections: kept };
}
