/** A DOM subtree as readable plain text: blocks on their own lines, paragraphs apart. */

import { type DomElement, type DomNode, ELEMENT_NODE, TEXT_NODE } from "./_dom.ts";

/** Never text a reader wants: code, styling, embedded media, form controls. */
const SKIPPED = new Set(
  `script style noscript template head title svg math canvas iframe object embed audio video
   map button select input textarea dialog`.split(/\s+/),
);
/** Blocks that stand apart with a blank line. */
const PARAGRAPHS = new Set(
  "p h1 h2 h3 h4 h5 h6 blockquote pre table ul ol dl figure hr section article".split(" "),
);
/** Blocks that start a new line. */
const LINES = new Set(
  `address aside dd details div dt fieldset figcaption footer form header li main nav summary
   tr caption`.split(/\s+/),
);

/**
 * The text of `root`, one line per block, a blank line between paragraphs,
 * list items as "- ", whitespace collapsed except inside `<pre>`.
 */
export function blockText(root: DomNode): string {
  const out = new TextBuilder();
  const walk = (node: DomNode, inPre: boolean) => {
    if (node.nodeType === TEXT_NODE) {
      out.text(node.textContent ?? "", inPre);
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const name = (node as DomElement).localName;
    if (SKIPPED.has(name)) return;
    if (name === "br") return out.endLine();
    const paragraph = PARAGRAPHS.has(name);
    const line = paragraph || LINES.has(name);
    if (paragraph) out.blank();
    else if (line) out.endLine();
    if (name === "li") out.text("- ", false);
    if (name === "td" || name === "th") out.text(" ", false);
    for (const child of Array.from(node.childNodes)) walk(child, inPre || name === "pre");
    if (paragraph) out.blank();
    else if (line) out.endLine();
  };
  walk(root, false);
  return out.result();
}

class TextBuilder {
  #lines: string[] = [];
  #line = "";
  #pre = false;

  text(text: string, inPre: boolean): void {
    if (!inPre) {
      this.#line += text.replace(/\s+/g, " ");
      return;
    }
    text.split("\n").forEach((part, index) => {
      if (index > 0) this.endLine(true);
      this.#line += part;
      this.#pre = true;
    });
  }

  endLine(keepEmpty = false): void {
    const line = this.#pre ? this.#line.trimEnd() : this.#line.trim().replace(/ {2,}/g, " ");
    if (line !== "" && line !== "-") this.#lines.push(line);
    else if (keepEmpty && this.#pre) this.#lines.push("");
    this.#line = "";
    this.#pre = false;
  }

  blank(): void {
    this.endLine();
    if (this.#lines.length > 0 && this.#lines.at(-1) !== "") this.#lines.push("");
  }

  result(): string {
    this.endLine();
    return this.#lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  }
}
