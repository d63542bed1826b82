import assert from "node:assert/strict";
import { extractImports, findViolations, formatViolation, type Rule } from "./check_imports.ts";

const LAYERS = [["cli"], ["chat"], ["memory", "search", "intent"], ["core"]];
const SIDEWAYS = ["memory→search"];

function rulesFor(path: string, ...imports: string[]): Rule[] {
  return findViolations([{ path, imports }], { layers: LAYERS, sideways: SIDEWAYS })
    .map((v) => v.rule);
}

Deno.test("extractImports() finds static, type, re-export, side-effect and dynamic imports", () => {
  const source = `/**
 * @example
 * \`\`\`ts
 * import { skipped } from "./doc_example.ts";
 * \`\`\`
 */
import { a, type B } from "../core/mod.ts";
import type { C } from "./c.ts";
import d, { e } from "./d.ts";
import {
  f,
  g,
} from "./multi_line.ts";
import * as ns from "./ns.ts";
import "./side_effect.ts";
import manifest from "../../deno.json" with { type: "json" };
export { h } from "./h.ts";
export * from "./star.ts";
export type { I } from "./i.ts";
const lazy = await import("./lazy.ts");
export const notAnImport = "from './nothing.ts'";
`;
  assert.deepEqual(extractImports(source), [
    "../core/mod.ts",
    "./c.ts",
    "./d.ts",
    "./multi_line.ts",
    "./ns.ts",
    "./side_effect.ts",
    "../../deno.json",
    "./h.ts",
    "./star.ts",
    "./i.ts",
    "./lazy.ts",
  ]);
});

Deno.test("findViolations() lets a file import its own area and lower areas' mod.ts", () => {
  assert.deepEqual(rulesFor("lib/chat/pipeline.ts", "./prompt.ts", "./_private.ts"), []);
  assert.deepEqual(rulesFor("lib/chat/pipeline.ts", "../memory/mod.ts", "../core/mod.ts"), []);
  assert.deepEqual(rulesFor("lib/cli/chat.ts", "../core/mod.ts"), [], "skipping layers is fine");
  assert.deepEqual(rulesFor("lib/memory/recall.ts", "../search/mod.ts"), [], "allowed sideways");
  assert.deepEqual(rulesFor("lib/memory/recall.ts", "npm:hono", "node:fs", "hono"), []);
  assert.deepEqual(rulesFor("lib/core/version.ts", "../../deno.json"), []);
});

Deno.test("findViolations() flags an import past another area's mod.ts", () => {
  assert.deepEqual(rulesFor("lib/chat/pipeline.ts", "../memory/facts.ts"), ["past-mod"]);
  assert.deepEqual(rulesFor("lib/chat/pipeline_test.ts", "../core/errors.ts"), ["past-mod"]);
});

Deno.test("findViolations() flags upward and unlisted sideways imports", () => {
  assert.deepEqual(rulesFor("lib/chat/conversations.ts", "../cli/mod.ts"), ["upward"]);
  assert.deepEqual(rulesFor("lib/core/errors.ts", "../memory/mod.ts"), ["upward"]);
  assert.deepEqual(rulesFor("lib/search/index.ts", "../memory/mod.ts"), ["upward"], "one way only");
  assert.deepEqual(rulesFor("lib/memory/recall.ts", "../intent/mod.ts"), ["upward"]);
  assert.deepEqual(rulesFor("lib/core/x.ts", "../cli/args.ts"), ["past-mod", "upward"]);
});

Deno.test("findViolations() keeps _private files to their folder, tests included", () => {
  assert.deepEqual(rulesFor("lib/chat/sub/x.ts", "../_shared.ts"), ["private"]);
  assert.deepEqual(rulesFor("lib/chat/x_test.ts", "./sub/_helper.ts"), ["private"]);
  assert.deepEqual(rulesFor("lib/chat/x_test.ts", "../memory/_helper.ts"), [
    "private",
    "past-mod",
  ]);
  assert.deepEqual(rulesFor("lib/chat/x_test.ts", "./_helper.ts"), []);
});

Deno.test("findViolations() keeps tests/, tasks/ and testing/ out of lib/", () => {
  assert.deepEqual(rulesFor("lib/chat/x.ts", "../../tests/support/fake_llm.ts"), ["test-only"]);
  assert.deepEqual(rulesFor("lib/chat/x_test.ts", "../../tests/support/fake_llm.ts"), [
    "test-only",
  ]);
  assert.deepEqual(rulesFor("lib/chat/x.ts", "../../tasks/bench.ts"), ["test-only"]);
  assert.deepEqual(rulesFor("lib/chat/x.ts", "../../testing/time.ts"), ["test-only"]);
  assert.deepEqual(rulesFor("lib/chat/x_test.ts", "../../testing/time.ts"), [], "tests may");
});

Deno.test("findViolations() names an area missing from the layers", () => {
  assert.deepEqual(rulesFor("lib/newarea/x.ts", "../core/mod.ts"), ["unknown-area"]);
  assert.deepEqual(rulesFor("lib/newarea/x.ts", "./y.ts"), [], "inside an area is fine");
});

Deno.test("formatViolation() names the file, the import and the rule", () => {
  const [v] = findViolations([{ path: "lib/chat/a.ts", imports: ["../memory/facts.ts"] }], {
    layers: LAYERS,
  });
  assert.ok(v);
  assert.equal(
    formatViolation(v),
    'lib/chat/a.ts: "../memory/facts.ts" [past-mod] import memory through lib/memory/mod.ts, ' +
      "not lib/memory/facts.ts",
  );
});

Deno.test("the real layers allow the edges lib/ has on purpose", () => {
  const files = [
    { path: "lib/memory/recall.ts", imports: ["../intent/mod.ts", "../search/mod.ts"] },
    { path: "lib/node/identity.ts", imports: ["../llm/mod.ts", "../hardware/mod.ts"] },
    { path: "lib/daemon/serve.ts", imports: ["../api/mod.ts"] },
  ];
  assert.deepEqual(findViolations(files), []);
  assert.deepEqual(
    findViolations([{ path: "lib/llm/client.ts", imports: ["../node/mod.ts"] }]).map((v) => v.rule),
    ["upward"],
  );
});
