import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { looksLikeHeading, PdfError, pdfPages, splitPdfText } from "./_pdf_sections.ts";
import { noTextPdf, textPdf } from "../../testing/pdf.ts";

const REPORT = fileURLToPath(new URL("../../tests/fixtures/library/report.pdf", import.meta.url));

Deno.test("pdfPages() gives the text of each page", async () => {
  const pages = await pdfPages(textPdf([["First page."], ["Second", "page."]]));
  assert.deepEqual(pages, ["First page.", "Second\npage."]);
});

Deno.test("pdfPages() fetches nothing", async () => {
  const original = globalThis.fetch;
  const fetched: string[] = [];
  globalThis.fetch = (input: RequestInfo | URL) => {
    fetched.push(String(input));
    return Promise.reject(new Error("no network in this test"));
  };
  try {
    const pages = await pdfPages(await Deno.readFile(REPORT));
    assert.equal(pages.length, 3);
  } finally {
    globalThis.fetch = original;
  }
  assert.deepEqual(fetched, []);
});

Deno.test("pdfPages() throws an unreadable PdfError for a broken file", async () => {
  const truncated = (await Deno.readFile(REPORT)).slice(0, 900);
  await assert.rejects(pdfPages(truncated), (error) => {
    assert.ok(error instanceof PdfError);
    assert.equal(error.kind, "unreadable");
    assert.match(error.message, /^not a readable PDF: \S/);
    return true;
  });
});

Deno.test("pdfPages() throws a no_text PdfError for pages without text", async () => {
  await assert.rejects(pdfPages(noTextPdf()), (error) => {
    assert.ok(error instanceof PdfError);
    assert.equal(error.kind, "no_text");
    assert.equal(error.message, "no extractable text (scanned PDF?)");
    return true;
  });
});

Deno.test("looksLikeHeading() takes short ALL CAPS and Title Case lines", () => {
  for (
    const line of ["INTRODUCTION", "2. RESULTS AND METHODS", "Spore Dispersal", "Growing at Home"]
  ) {
    assert.ok(looksLikeHeading(line), line);
  }
  assert.ok(looksLikeHeading("What Is a Fungus?"));
  assert.ok(looksLikeHeading("1.2 Lab Safety"));
});

Deno.test("looksLikeHeading() refuses sentences, long lines and lines without words", () => {
  const refused = [
    "Spores travel on the wind.",
    "The Quick Brown Fox Jumps Over The Lazy Dog Again And Again",
    "This is a normal line",
    "42",
    "",
    "x",
  ];
  for (const line of refused) assert.ok(!looksLikeHeading(line), line);
});

Deno.test("splitPdfText() splits at headings that start a block", () => {
  const parts = splitPdfText([
    "CHAPTER ONE\nMycology\nFungi are everywhere, in soil and\nIn Air and Water\nalike.",
    "Spore Prints\nPlace a cap on paper.",
  ]);
  assert.equal(parts.firstHeading, "CHAPTER ONE");
  assert.deepEqual(parts.sections, [
    {
      title: "CHAPTER ONE — Mycology",
      // "In Air and Water" is Title Case but continues a sentence: not a heading.
      text: "Fungi are everywhere, in soil and\nIn Air and Water\nalike.",
    },
    { title: "Spore Prints", text: "Place a cap on paper." },
  ]);
});

Deno.test("splitPdfText() drops running footers and page numbers before finding headings", () => {
  const page = (n: number, body: string) => `${body}\nThe Field Guide\nPage ${n} of 3`;
  const parts = splitPdfText([page(1, "Intro text."), page(2, "More text."), page(3, "End text.")]);
  assert.equal(parts.firstHeading, null);
  assert.deepEqual(parts.sections, [
    { title: null, text: "Intro text.\n\nMore text.\n\nEnd text." },
  ]);
});

Deno.test("splitPdfText() rejoins words hyphenated at a line end", () => {
  assert.deepEqual(splitPdfText(["the myce-\nlium grows, X-\nRay"]).sections, [
    { title: null, text: "the mycelium grows, X-\nRay" },
  ]);
});

Deno.test("splitPdfText() leaves a heading-like last line in the text", () => {
  assert.deepEqual(splitPdfText(["Some text.\nThe End"]).sections, [
    { title: null, text: "Some text.\nThe End" },
  ]);
});
