/** HTML → readable text split at its `h1`–`h4` headings, page furniture dropped. */

import { type HTMLElement, type Node, NodeType, parse } from "node-html-parser";
import type { ExtractedSection } from "./extract_text.ts";

/** An HTML page split for ingestion. */
export interface HtmlParts {
  /** The `<title>`, else the first `h1`. */
  title: string | null;
  /** Sections in order; text before the first heading has the title null. Never empty texts. */
  sections: ExtractedSection[];
}

/** Never content: code, styling, navigation, page chrome and form controls. */
const DROPPED = new Set(
  `script style noscript template svg math canvas iframe object embed audio video map head
   nav aside footer form button select input textarea label dialog`.split(/\s+/),
);

/** ARIA roles of page chrome. */
const DROPPED_ROLES = new Set(["navigation", "banner", "contentinfo", "complementary", "search"]);

const HEADINGS = new Set(["h1", "h2", "h3", "h4"]);

/** Elements that end a line of text (everything else is inline). */
const BLOCKS = new Set(
  `address article blockquote body caption dd details div dl dt fieldset figcaption figure h5
   h6 header hr html li main ol p pre section summary table tbody thead tfoot tr ul`.split(/\s+/),
);

/**
 * Extracts the text of an HTML page, section by section. When the page has a
 * `<main>` element only its content is kept; scripts, styles, navigation, page
 * headers and footers, sidebars and forms are always dropped.
 *
 * @example
 * ```ts
 * splitHtml("<title>T</title><nav>Menu</nav><h2>A</h2><p>Text</p>");
 * // { title: "T", sections: [{ title: "A", text: "Text" }] }
 * ```
 */
export function splitHtml(html: string): HtmlParts {
  const root = parse(html, {
    comment: false,
    // Listed elements are not parsed as HTML; false drops their text. `pre` is
    // parsed (unlike the default) so its `<code>` tags do not show as text.
    blockTextElements: { script: false, style: false, noscript: false },
  });
  const pageTitle = collapse(root.querySelector("title")?.text ?? "");
  const firstH1 = collapse(root.querySelector("h1")?.text ?? "");
  const content = root.querySelector("main") ?? root.querySelector("[role=main]") ??
    root.querySelector("body") ?? root;

  const sections: ExtractedSection[] = [];
  let title: string | null = null;
  let lines: string[] = [];
  let line = "";
  let lineInPre = false; // keeps its indentation

  const endLine = () => {
    const text = lineInPre ? line.trimEnd() : line.trim();
    if (text === "-") return; // a list bullet waiting for its item's text
    if (text.trim() !== "") lines.push(text);
    line = "";
    lineInPre = false;
  };
  const endSection = (next: string | null) => {
    endLine();
    const text = lines.join("\n").trim();
    if (text !== "") sections.push({ title, text });
    title = next;
    lines = [];
  };

  const walk = (node: Node, inPre: boolean, inArticle: boolean) => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      const text = node.text;
      if (/^\s*<[!?][^>]*>\s*$/.test(text)) return; // doctype or XML declaration
      if (inPre) {
        const [first = "", ...rest] = text.split("\n");
        line += first;
        lineInPre = true;
        for (const next of rest) {
          endLine();
          line = next;
          lineInPre = true;
        }
      } else {
        const words = text.replace(/\s+/g, " ");
        line += line === "" || line.endsWith(" ") ? words.trimStart() : words;
      }
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const element = node as HTMLElement;
    const tag = element.rawTagName?.toLowerCase() ?? "";
    if (isDropped(element, tag, inArticle)) return;
    if (HEADINGS.has(tag)) {
      // Without the "#" or "¶" of a permalink anchor some sites put in headings.
      const heading = collapse(element.text).replace(/\s*[#¶§]$/, "");
      if (heading !== "") {
        endSection(heading);
        return;
      }
    }
    if (tag === "br") return endLine();
    if ((tag === "td" || tag === "th") && line.trim() !== "") line = `${line.trimEnd()} | `;
    const block = BLOCKS.has(tag);
    if (block) endLine();
    if (tag === "li") line = "- ";
    const article = inArticle || tag === "article" || tag === "main" ||
      element.getAttribute("role") === "main";
    for (const child of element.childNodes) walk(child, inPre || tag === "pre", article);
    if (block) endLine();
    if (tag === "li" && line.trim() === "-") line = ""; // an empty item
  };
  walk(content, false, false);
  endSection(null);

  return { title: pageTitle || firstH1 || null, sections };
}

/**
 * True for elements that are not content. A `<header>` inside an article or
 * `<main>` holds the article's own title, so only page headers go.
 */
function isDropped(element: HTMLElement, tag: string, inArticle: boolean): boolean {
  if (DROPPED.has(tag)) return true;
  if (tag === "header" && !inArticle) return true;
  if (element.hasAttribute("hidden") || element.getAttribute("aria-hidden") === "true") return true;
  const role = element.getAttribute("role");
  return role !== undefined && DROPPED_ROLES.has(role);
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
