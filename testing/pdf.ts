/**
 * Builds small, valid PDFs for tests (and the fixtures in
 * `tests/fixtures/library/`): text pages in Helvetica, or a page with a shape
 * and no text layer, like a scan.
 *
 * @module
 */

/**
 * A PDF whose pages hold the given lines of text (Latin-1 only), top to bottom.
 *
 * @example
 * ```ts
 * Deno.writeFileSync("a.pdf", textPdf([["TITLE", "Body line."]]));
 * ```
 */
export function textPdf(pages: readonly (readonly string[])[]): Uint8Array {
  const contents = pages.map((lines) =>
    ["BT /F1 12 Tf 16 TL 72 720 Td", ...lines.map((line) => `(${escape(line)}) Tj T*`), "ET"]
      .join("\n")
  );
  return buildPdf(contents, "/Font << /F1 3 0 R >>");
}

/** A one-page PDF with a filled rectangle and no text: what a scan looks like to a text extractor. */
export function noTextPdf(): Uint8Array {
  return buildPdf(["0.2 0.4 0.8 rg 72 500 300 200 re f"], "");
}

/** Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page. */
function buildPdf(contents: readonly string[], resources: string): Uint8Array {
  const kids = contents.map((_, i) => `${4 + 2 * i} 0 R`).join(" ");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${kids}] /Count ${contents.length} >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  contents.forEach((content, i) => {
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << ${resources} >> ` +
        `/Contents ${5 + 2 * i} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    );
  });
  let pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  const offsets = objects.map((object, i) => {
    const offset = pdf.length;
    pdf += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Latin-1: one byte per character, so string lengths are byte offsets.
  return Uint8Array.from(pdf, (ch) => ch.charCodeAt(0));
}

function escape(text: string): string {
  return text.replace(/[\\()]/g, (ch) => `\\${ch}`);
}
