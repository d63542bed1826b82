import assert from "node:assert/strict";
import { splitMarkdown } from "./_markdown_sections.ts";

Deno.test("splitMarkdown() splits at # to #### headings, text before them untitled", () => {
  const parts = splitMarkdown("Intro line.\n\n# One\nA\n## Two\nB\n### Three\nC\n#### Four\nD");
  assert.deepEqual(parts.sections, [
    { title: null, text: "Intro line." },
    { title: "One", text: "A" },
    { title: "Two", text: "B" },
    { title: "Three", text: "C" },
    { title: "Four", text: "D" },
  ]);
  assert.equal(parts.firstHeading, "One");
  assert.equal(parts.frontMatterTitle, null);
});

Deno.test("splitMarkdown() keeps ##### and ###### headings as text of their section", () => {
  assert.deepEqual(splitMarkdown("# A\nx\n##### Deep\ny\n###### Deeper").sections, [
    { title: "A", text: "x\nDeep\ny\nDeeper" },
  ]);
});

Deno.test("splitMarkdown() ignores # lines inside fenced code", () => {
  const md = "# Setup\n```bash\n# install\nnpm i\n```\n~~~\n## not either\n~~~\nafter";
  assert.deepEqual(splitMarkdown(md).sections, [
    { title: "Setup", text: "```bash\n# install\nnpm i\n```\n~~~\n## not either\n~~~\nafter" },
  ]);
});

Deno.test("splitMarkdown() drops sections without text but knows their heading", () => {
  const parts = splitMarkdown("# Guide\n## Install\nRun it.");
  assert.deepEqual(parts.sections, [{ title: "Install", text: "Run it." }]);
  assert.equal(parts.firstHeading, "Guide");
});

Deno.test("splitMarkdown() reads setext headings", () => {
  assert.deepEqual(splitMarkdown("Title\n=====\nBody.\n\nPart\n---\nMore.").sections, [
    { title: "Title", text: "Body." },
    { title: "Part", text: "More." },
  ]);
  // Under a list item or a two-line paragraph, "---" is not an underline.
  assert.deepEqual(splitMarkdown("- item\n---\nline one\nline two\n---").sections, [
    { title: null, text: "- item\n---\nline one\nline two\n---" },
  ]);
});

Deno.test("splitMarkdown() strips Markdown from titles and link URLs from text", () => {
  const parts = splitMarkdown(
    "## The **`cleanText`** [function](https://x.y) ##\nSee ![a diagram](d.png) and [docs][1].\n\n[1]: https://docs",
  );
  assert.deepEqual(parts.sections, [
    { title: "The cleanText function", text: "See a diagram and docs." },
  ]);
});

Deno.test("splitMarkdown() sets YAML or TOML front matter aside, keeping its title", () => {
  const yaml = splitMarkdown('---\ntitle: "My Notes"\ndate: 2024-01-01\n---\n# H\nText');
  assert.equal(yaml.frontMatterTitle, "My Notes");
  assert.deepEqual(yaml.sections, [{ title: "H", text: "Text" }]);
  const toml = splitMarkdown("+++\ntitle = 'Field Log'\n+++\nText");
  assert.equal(toml.frontMatterTitle, "Field Log");
  assert.deepEqual(toml.sections, [{ title: null, text: "Text" }]);
  const none = splitMarkdown("---\nauthor: me\n---\nText");
  assert.equal(none.frontMatterTitle, null);
  assert.deepEqual(none.sections, [{ title: null, text: "Text" }]);
});

Deno.test("splitMarkdown() drops HTML comments", () => {
  assert.deepEqual(splitMarkdown("a <!-- hidden\nnote --> b").sections, [{
    title: null,
    text: "a  b",
  }]);
});
