import assert from "node:assert/strict";
import { cleanDocument, cleanOptionsFor, cleanText } from "./clean_text.ts";

Deno.test("cleanText() collapses blank lines into one", () => {
  assert.equal(cleanText("Hello\n\n\n\n\nWorld"), "Hello\n\nWorld");
  assert.equal(cleanText("Hello\n\n\nWorld"), "Hello\n\nWorld");
  assert.equal(cleanText("Hello\n\nWorld"), "Hello\n\nWorld");
  assert.equal(cleanText("Hello\n  \t\n \n\nWorld"), "Hello\n\nWorld");
});

Deno.test("cleanText() removes trailing spaces and blank lines at both ends", () => {
  assert.equal(cleanText("\n\nHello   \nWorld\t\n\n"), "Hello\nWorld");
  assert.equal(cleanText("  indented stays\r\nwindows line"), "  indented stays\nwindows line");
});

Deno.test("cleanText() drops lines repeated 3+ times", () => {
  const text = [
    "ACME Annual Report",
    "Revenue grew.",
    "ACME Annual Report",
    "Costs fell.",
    "  ACME   Annual Report ",
    "Twice said.",
    "Twice said.",
  ].join("\n");
  assert.equal(cleanText(text), "Revenue grew.\nCosts fell.\nTwice said.\nTwice said.");
});

Deno.test("cleanText() keeps repeated Markdown headings and punctuation-only lines", () => {
  const text = "## Example\none\n## Example\ntwo\n## Example\nthree\n---\n---\n---\n```\n```\n```";
  assert.equal(cleanText(text), text);
});

Deno.test("cleanText() drops bare page numbers", () => {
  const text = ["Intro", "12", "- 12 -", "– 7 –", "Page 3", "page 3", "PAGE 3", "Page iv", "p. 4"]
    .join("\n");
  assert.equal(cleanText(text), "Intro");
});

Deno.test("cleanText() drops Page X of Y in any case", () => {
  const lines = ["Page 3 of 12", "page 3 of 12", "PAGE 3 OF 12", "Page 3/12", "3 of 12", "3 / 12"];
  assert.equal(cleanText(["Body", ...lines, "End"].join("\n")), "Body\nEnd");
});

Deno.test("cleanText() keeps numbers that are content", () => {
  const text = "Step 1\nStep 2\nStep 3\n2024\n12 monkeys\nPage three of the story\n1. First";
  assert.equal(cleanText(text), text);
});

Deno.test("cleanText() drops copyright lines but keeps prose about copyright", () => {
  const text = [
    "© 2024 Mycoswarm Project",
    "Copyright 2023 Jane Doe",
    "Copyright (c) ACME",
    "(C) 2021 Someone",
    "Acme Inc. All rights reserved.",
    "Copyright law protects original works of authorship.",
    `A long paragraph mentions © once ${"and goes on ".repeat(10)}to the end.`,
  ].join("\n");
  assert.deepEqual(cleanText(text).split("\n"), [
    "Copyright law protects original works of authorship.",
    `A long paragraph mentions © once ${"and goes on ".repeat(10)}to the end.`,
  ]);
});

Deno.test("cleanText() with boilerplate off keeps repeats and numbers, still tidies space", () => {
  const code = "x = 1  \n}\n}\n}\nreturn\nreturn\nreturn\n12\n\n\n\nend";
  assert.equal(
    cleanText(code, { boilerplate: false }),
    "x = 1\n}\n}\n}\nreturn\nreturn\nreturn\n12\n\nend",
  );
});

Deno.test("cleanOptionsFor() turns boilerplate off for code, CSV and JSON only", () => {
  assert.deepEqual(cleanOptionsFor("code"), { boilerplate: false });
  assert.deepEqual(cleanOptionsFor("csv"), { boilerplate: false });
  assert.deepEqual(cleanOptionsFor("json"), { boilerplate: false });
  assert.deepEqual(cleanOptionsFor("pdf"), { boilerplate: true });
  assert.deepEqual(cleanOptionsFor("markdown"), { boilerplate: true });
});

Deno.test("cleanDocument() counts repeated lines across sections and drops emptied ones", () => {
  const doc = cleanDocument({
    docType: "html",
    title: "T",
    sections: [
      { title: "A", text: "Alpha text.\nShare this page" },
      { title: "B", text: "Share this page\n\n\n\nBeta text." },
      { title: "C", text: "Share this page\n- 3 -" },
    ],
  });
  assert.deepEqual(doc, {
    docType: "html",
    title: "T",
    sections: [{ title: "A", text: "Alpha text." }, { title: "B", text: "Beta text." }],
  });
});

Deno.test("cleanDocument() keeps repeated lines in code", () => {
  const text = "if a:\n    pass\nif b:\n    pass\nif c:\n    pass";
  const doc = { docType: "code" as const, title: "x.py", sections: [{ title: "x.py", text }] };
  assert.deepEqual(cleanDocument(doc), doc);
});
