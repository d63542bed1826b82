import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { isMycoError } from "../core/mod.ts";
import { noTextPdf, textPdf } from "../../testing/pdf.ts";
import { docTypeOf, extractDocument } from "./extract_text.ts";

const LIBRARY = fileURLToPath(new URL("../../tests/fixtures/library/", import.meta.url));

async function extractFixture(name: string) {
  const path = LIBRARY + name;
  return await extractDocument(path, await Deno.readFile(path));
}

/** Asserts `extractDocument` fails with invalid_input, a message naming the file and `reason`. */
async function assertRejects(name: string, reason: RegExp, bytes?: Uint8Array): Promise<void> {
  const path = LIBRARY + name;
  await assert.rejects(extractDocument(path, bytes ?? await Deno.readFile(path)), (error) => {
    assert.ok(isMycoError(error, "invalid_input"), `${name}: ${error}`);
    assert.ok(error.message.startsWith(`${path}: `), error.message);
    assert.match(error.message.slice(path.length + 2), reason);
    return true;
  });
}

Deno.test("docTypeOf() maps extensions to types, case-insensitively", () => {
  const cases: [string, string | null][] = [
    ["a.md", "markdown"],
    ["A.MARKDOWN", "markdown"],
    ["a.txt", "text"],
    ["a.html", "html"],
    ["a.HTM", "html"],
    ["a.pdf", "pdf"],
    ["a.csv", "csv"],
    ["a.json", "json"],
    ["dir.d/x.ts", "code"],
    ["x.py", "code"],
    ["x.rs", "code"],
    ["x.yaml", "code"],
    ["x.yml", "code"],
    ["x.toml", "code"],
    ["x.sql", "code"],
    ["src/Makefile", "code"],
    ["image.png", null],
    ["archive.tar.gz", null],
    ["README", null],
    [".md", null],
  ];
  for (const [path, type] of cases) assert.equal(docTypeOf(path), type, path);
});

Deno.test("extractDocument() splits Markdown at its headings, titled by the front matter", async () => {
  const doc = await extractFixture("notes.md");
  assert.equal(doc.docType, "markdown");
  assert.equal(doc.title, "Growing Oyster Mushrooms");
  assert.deepEqual(doc.sections.map((s) => s.title), [
    null,
    "Substrate",
    "Inoculation",
    "Fruiting",
    "Harvest",
  ]);
  assert.equal(doc.sections[0]!.text, "A short guide kept in my notes.");
  // Link text kept, URL gone; front matter gone.
  assert.match(doc.sections[1]!.text, /See\nthe guide for details\.$/);
  assert.ok(!doc.sections.some((s) => /example\.org|tags:|^---/m.test(s.text)));
  // A "#" line in a code fence is not a heading; "#####" stays in the text.
  assert.match(doc.sections[2]!.text, /# not a heading: a shell comment/);
  assert.match(doc.sections[3]!.text, /A small note\n\nMist twice a day\.$/);
});

Deno.test("extractDocument() keeps an HTML page's content by its headings, no scripts or chrome", async () => {
  const doc = await extractFixture("page.html");
  assert.equal(doc.docType, "html");
  assert.equal(doc.title, "Mushroom Log");
  assert.deepEqual(doc.sections, [
    { title: "Mushroom Log", text: "Notes from the grow room, kept weekly." },
    {
      title: "Week 1",
      text:
        "Spawn run started; the bags smell of fresh bread.\n- Temperature: 22 °C\n- Humidity: 85 %",
    },
    { title: "Week 2", text: "First pins appeared on the straw bags.\nBag | Pins\nA | 12" },
  ]);
  const all = doc.sections.map((s) => s.text).join("\n");
  for (
    const dropped of ["analytics", "font-family", "Archive", "Site banner", "Related", "Privacy"]
  ) {
    assert.ok(!all.includes(dropped), dropped);
  }
});

Deno.test("extractDocument() reads a PDF's pages, sections by headings, furniture gone", async () => {
  const doc = await extractFixture("report.pdf");
  assert.equal(doc.docType, "pdf");
  assert.equal(doc.title, "MYCOSWARM FIELD GUIDE");
  assert.deepEqual(doc.sections.map((s) => s.title), [
    "MYCOSWARM FIELD GUIDE",
    "Soil Chemistry",
    "Spore Dispersal",
    "Growing at Home",
  ]);
  assert.match(doc.sections[0]!.text, /^Mycelium networks connect the roots of trees/);
  assert.match(doc.sections[2]!.text, /settle on damp\nground and germinate within days\.$/);
  const all = doc.sections.map((s) => s.text).join("\n");
  for (const dropped of ["Field Notes", "Page 1", "Page 3 of 3", "All rights reserved"]) {
    assert.ok(!all.includes(dropped), dropped);
  }
});

Deno.test("extractDocument() gives a PDF without headings one untitled section", async () => {
  const bytes = textPdf([["just a line of text in lower case,", "and another one."]]);
  const doc = await extractDocument("plain.pdf", bytes);
  assert.equal(doc.title, "plain.pdf");
  assert.deepEqual(doc.sections, [
    { title: null, text: "just a line of text in lower case,\nand another one." },
  ]);
});

Deno.test("extractDocument() rejects a truncated PDF as not readable", async () => {
  await assertRejects("truncated.pdf", /^not a readable PDF: /);
});

Deno.test("extractDocument() rejects garbage with a .pdf name as not readable", async () => {
  await assertRejects("fake.pdf", /^not a readable PDF: /, new TextEncoder().encode("hello"));
  await assertRejects(
    "fake.pdf",
    /^not a readable PDF: /,
    new TextEncoder().encode("%PDF-1.7\n%%EOF"),
  );
});

Deno.test("extractDocument() rejects a PDF without a text layer", async () => {
  await assertRejects("scanned.pdf", /^no extractable text \(scanned PDF\?\)$/);
  await assertRejects("made.pdf", /^no extractable text \(scanned PDF\?\)$/, noTextPdf());
});

Deno.test("extractDocument() does not consume the caller's PDF bytes", async () => {
  const bytes = await Deno.readFile(LIBRARY + "report.pdf");
  const copy = bytes.slice();
  await extractDocument("report.pdf", bytes);
  assert.deepEqual(bytes, copy);
});

Deno.test("extractDocument() reads a text file as one untitled section", async () => {
  const doc = await extractFixture("plain.txt");
  assert.equal(doc.docType, "text");
  assert.equal(doc.title, "plain.txt");
  assert.equal(doc.sections.length, 1);
  assert.equal(doc.sections[0]!.title, null);
  assert.match(doc.sections[0]!.text, /^Compost notes\n\nSpent mushroom substrate/);
});

Deno.test("extractDocument() writes CSV rows as column: value lines", async () => {
  const doc = await extractFixture("table.csv");
  assert.equal(doc.docType, "csv");
  assert.equal(doc.title, "table.csv");
  assert.deepEqual(doc.sections, [{
    title: null,
    text: [
      "Columns: species, substrate, days to fruit, notes",
      "species: Oyster; substrate: straw; days to fruit: 14; notes: fast, forgiving",
      "species: Shiitake; substrate: oak logs; days to fruit: 180",
      'species: Lion\'s mane; substrate: hardwood sawdust; days to fruit: 21; notes: needs "high" humidity',
    ].join("\n"),
  }]);
});

Deno.test("extractDocument() writes JSON values with their keys", async () => {
  const doc = await extractFixture("data.json");
  assert.equal(doc.docType, "json");
  assert.equal(doc.title, "data.json");
  assert.deepEqual(doc.sections, [{
    title: null,
    text: [
      "name: grow-room",
      "sensors:",
      "  - id: 1",
      "    kind: humidity",
      "    unit: %",
      "  - id: 2",
      "    kind: temperature",
      "    unit: °C",
      "tags: fungi, indoor",
      "owner:",
      "  name: Ada",
      "  email: null",
      "active: true",
    ].join("\n"),
  }]);
});

Deno.test("extractDocument() rejects invalid JSON", async () => {
  await assertRejects("broken.json", /^invalid JSON: .+/);
});

Deno.test("extractDocument() keeps source code whole, titled by the file name", async () => {
  const doc = await extractFixture("script.py");
  const source = await Deno.readTextFile(LIBRARY + "script.py");
  assert.deepEqual(doc, {
    docType: "code",
    title: "script.py",
    sections: [{ title: "script.py", text: source }],
  });
});

Deno.test("extractDocument() rejects an empty file", async () => {
  await assertRejects("empty.md", /^empty file$/);
  await assertRejects(
    "blank.txt",
    /^empty file \(only whitespace\)$/,
    new TextEncoder().encode(" \n\n"),
  );
});

Deno.test("extractDocument() rejects binary content with a text extension", async () => {
  await assertRejects("binary.txt", /^binary content, not text$/);
  // No NUL byte, but mostly invalid UTF-8 and control codes.
  const noise = Uint8Array.from({ length: 4096 }, (_, i) => 1 + ((i * 131) % 255));
  await assertRejects("noise.md", /^binary content, not text$/, noise);
});

Deno.test("extractDocument() rejects an unsupported file type", async () => {
  await assertRejects("image.png", /^unsupported file type$/);
});

Deno.test("extractDocument() rejects a Markdown file with nothing but front matter", async () => {
  const bytes = new TextEncoder().encode("---\ntitle: Draft\n---\n\n");
  await assertRejects("draft.md", /^no text content$/, bytes);
});

Deno.test("extractDocument() reads UTF-16 and Windows-1252 text", async () => {
  const utf16 = new Uint8Array([0xff, 0xfe, ...[..."Café"].flatMap((c) => [c.charCodeAt(0), 0])]);
  assert.equal((await extractDocument("a.txt", utf16)).sections[0]!.text, "Café");
  const latin1 = Uint8Array.from("Caf\xe9 cr\xe8me\r\n", (c) => c.charCodeAt(0));
  assert.equal((await extractDocument("b.txt", latin1)).sections[0]!.text, "Café crème\n");
});
