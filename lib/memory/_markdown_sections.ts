/** Markdown → sections at its `#`–`####` headings, front matter set aside. */

import type { ExtractedSection } from "./extract_text.ts";

/** A Markdown document split for ingestion. */
export interface MarkdownParts {
  /** The `title` of the YAML or TOML front matter, if any. */
  frontMatterTitle: string | null;
  /** The text of the first heading of any level, if any. */
  firstHeading: string | null;
  /** Sections in order; text before the first heading has the title null. Never empty texts. */
  sections: ExtractedSection[];
}

/** Headings at this level or above start a section; deeper ones stay in the text. */
const SPLIT_LEVEL = 4;

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
/** Lines that cannot be the text of a setext heading (lists, quotes, tables, HTML). */
const NOT_PARAGRAPH = /^\s*(?:[-*+>|<]|\d+[.)]\s|#)/;

/**
 * Splits Markdown at its headings (ATX `#`–`####` and setext `===`/`---`),
 * ignoring `#` lines inside fenced code. Each section's title is its heading
 * without the Markdown syntax.
 *
 * @example
 * ```ts
 * splitMarkdown("Intro\n# A\nText").sections;
 * // [{ title: null, text: "Intro" }, { title: "A", text: "Text" }]
 * ```
 */
export function splitMarkdown(source: string): MarkdownParts {
  const { frontMatterTitle, body } = takeFrontMatter(source);
  const lines = body.replace(/<!--[\s\S]*?-->/g, "").split("\n");
  const sections: ExtractedSection[] = [];
  let firstHeading: string | null = null;
  let title: string | null = null;
  let text: string[] = [];
  let fence: string | null = null;

  const startSection = (heading: string) => {
    push(sections, title, text);
    title = heading;
    text = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (fence !== null) {
      if (line.trimStart().startsWith(fence)) fence = null;
      text.push(line);
      continue;
    }
    const fenceOpen = FENCE.exec(line);
    if (fenceOpen?.[1]) {
      fence = fenceOpen[1];
      text.push(line);
      continue;
    }
    const atx = ATX_HEADING.exec(line);
    if (atx?.[1]) {
      const heading = inlineText(atx[2] ?? "");
      firstHeading ??= heading || null;
      if (atx[1].length <= SPLIT_LEVEL && heading !== "") startSection(heading);
      else if (heading !== "") text.push(heading);
      continue;
    }
    const setext = SETEXT_UNDERLINE.exec(line);
    const previous = text.at(-1);
    if (
      setext && previous !== undefined && previous.trim() !== "" &&
      !NOT_PARAGRAPH.test(previous) && (text.at(-2) ?? "").trim() === ""
    ) {
      text.pop();
      const heading = inlineText(previous);
      firstHeading ??= heading;
      startSection(heading);
      continue;
    }
    if (/^ {0,3}\[[^\]]+\]:\s*\S+/.test(line)) continue; // link reference definition
    text.push(inlineText(line, false));
  }
  push(sections, title, text);
  return { frontMatterTitle, firstHeading, sections };
}

function push(sections: ExtractedSection[], title: string | null, lines: string[]): void {
  const text = lines.join("\n").trim();
  if (text !== "") sections.push({ title, text });
}

/**
 * Keeps the words of inline Markdown: link and image texts without their
 * URLs; in headings also without emphasis and code marks.
 */
function inlineText(text: string, heading = true): string {
  let out = text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1");
  if (heading) out = out.replace(/\*\*|__|`|(?<!\w)[*_]|[*_](?!\w)/g, "").trim();
  return out;
}

/** Removes a leading `---` YAML or `+++` TOML block, keeping its title. */
function takeFrontMatter(source: string): { frontMatterTitle: string | null; body: string } {
  const match = /^(---|\+\+\+)[ \t]*\n([\s\S]*?)\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\n|$)/.exec(source);
  if (!match) return { frontMatterTitle: null, body: source };
  const block = match[2] ?? "";
  const title = match[1] === "---"
    ? /^title:[ \t]*(.+)$/m.exec(block)?.[1]
    : /^title[ \t]*=[ \t]*(.+)$/m.exec(block)?.[1];
  const unquoted = title?.trim().replace(/^(["'])(.*)\1$/, "$2").trim();
  return { frontMatterTitle: unquoted || null, body: source.slice(match[0].length) };
}
