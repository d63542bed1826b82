/**
 * The one place lib/web touches an HTML parser (linkedom). Deno's type library
 * has no DOM, so the few members we use are declared here.
 */

import { DOMParser } from "linkedom";

/** A DOM node: the members lib/web uses. */
export interface DomNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

/** A DOM element: the members lib/web uses. */
export interface DomElement extends DomNode {
  readonly localName: string;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  remove(): void;
}

/** A parsed HTML document. */
export interface DomDocument {
  readonly body: DomElement | null;
  readonly documentElement: DomElement;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

export const TEXT_NODE = 3;
export const ELEMENT_NODE = 1;

/**
 * Parses an HTML page. linkedom builds no implied `<html>` or `<body>` (it is
 * not an HTML5 tree builder), so a page without `<html>` is wrapped in one and
 * callers fall back to {@linkcode pageRoot} when there is no body.
 */
export function parseDocument(html: string): DomDocument {
  const page = /<html[\s>]/i.test(html) ? html : `<html><body>${html}</body></html>`;
  return new DOMParser().parseFromString(page, "text/html") as unknown as DomDocument;
}

/** The body, or the whole document when the page has no (or an empty) `<body>`. */
export function pageRoot(doc: DomDocument): DomElement {
  const body = doc.body; // linkedom makes an empty one up when the page has none
  return body !== null && body.childNodes.length > 0 ? body : doc.documentElement;
}

/** The `<title>` text, wherever it sits ("" when none). */
export function pageTitle(doc: DomDocument): string {
  return lineText(doc.querySelector("title"));
}

/** The element list as an array. */
export function all(root: DomDocument | DomElement, selectors: string): DomElement[] {
  return Array.from(root.querySelectorAll(selectors));
}

/** Text of a node on one line: entities decoded, whitespace collapsed. */
export function lineText(node: DomNode | null | undefined): string {
  return (node?.textContent ?? "").replace(/\s+/g, " ").trim();
}

/**
 * An HTML fragment (a snippet with `<b>` or `<strong>` and entities) as plain
 * text on one line.
 *
 * @example
 * ```ts
 * htmlToLine("Fish &amp; <b>chips</b>"); // "Fish & chips"
 * ```
 */
export function htmlToLine(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, " ").trim();
  return lineText(pageRoot(parseDocument(`<html><body>${html}</body></html>`)));
}
