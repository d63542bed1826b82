/**
 * The readable text of an HTML page: Mozilla's Readability (Firefox Reader
 * View) picks the article; pages it cannot read, or whose article is under
 * 500 characters, fall back to the body text without scripts, navigation,
 * headers, footers and sidebars.
 */

import { Readability } from "@mozilla/readability";
import { all, type DomDocument, lineText, pageRoot, pageTitle, parseDocument } from "./_dom.ts";
import { blockText } from "./_html_text.ts";

/** A page reduced to its title and text. */
export interface ReadableText {
  /** Readability's title (site name suffix dropped), else `<title>`, else the first h1. */
  title: string;
  text: string;
}

/**
 * Readability takes seconds on pages with tens of thousands of elements (articles
 * have a few thousand); past this the cheaper fallback reads the page. (Its own
 * `maxElemsToParse` counts with getElementsByTagName("*"), which linkedom does not match.)
 */
const MAX_ELEMENTS = 25_000;

/** Page chrome removed before the fallback reads the body. */
const CHROME = "nav, header, footer, aside, form, [role=navigation], [role=banner], " +
  "[role=contentinfo], [role=complementary], [aria-hidden=true], [hidden]";

/**
 * Extracts the readable text of an HTML page.
 *
 * @example
 * ```ts
 * extractReadable("<title>T</title><nav>Menu</nav><p>Text</p>").text; // "Text"
 * ```
 */
export function extractReadable(html: string): ReadableText {
  const doc = parseDocument(html);
  const fallbackTitle = pageTitle(doc) || lineText(doc.querySelector("h1"));
  if (countTags(html) > MAX_ELEMENTS) return { title: fallbackTitle, text: bodyText(doc) };
  const article = readArticle(doc);
  if (article !== null && article.text.length >= 500) return withTitle(article, fallbackTitle);
  // Too short for Readability to judge well: the stripped body is the safer reading.
  const body = bodyText(parseDocument(html)); // Readability changed `doc`
  if (body === "" && article !== null) return withTitle(article, fallbackTitle);
  return { title: article?.title || fallbackTitle, text: body };
}

function readArticle(doc: DomDocument): ReadableText | null {
  try {
    // linkedom's document stands in for the browser DOM Readability expects.
    const reader = new Readability(doc as unknown as ConstructorParameters<typeof Readability>[0]);
    const article = reader.parse();
    if (!article?.content) return null;
    const text = blockText(pageRoot(parseDocument(`<html><body>${article.content}</body></html>`)));
    return text === "" ? null : { title: (article.title ?? "").replace(/\s+/g, " ").trim(), text };
  } catch {
    return null; // a page Readability chokes on is read by the fallback
  }
}

function bodyText(doc: DomDocument): string {
  for (const element of all(doc, CHROME)) element.remove();
  return blockText(pageRoot(doc));
}

function withTitle(article: ReadableText, fallback: string): ReadableText {
  return { title: article.title || fallback, text: article.text };
}

function countTags(html: string): number {
  return html.match(/<[a-z]/gi)?.length ?? 0;
}
