import assert from "node:assert/strict";
import { hasCode } from "../../testing/has_code.ts";
import { clampLimit, cleanQuery, queryKey } from "./query.ts";

Deno.test("cleanQuery() trims and collapses whitespace", () => {
  assert.equal(cleanQuery("  deno \n\t fmt  "), "deno fmt");
});

Deno.test("cleanQuery() refuses a query of only whitespace with a message", () => {
  assert.throws(() => cleanQuery(" \n\t "), hasCode("invalid_input", /empty/));
  assert.throws(() => cleanQuery(""), hasCode("invalid_input"));
});

Deno.test("cleanQuery() refuses an over-long query", () => {
  assert.throws(() => cleanQuery("a".repeat(501)), hasCode("invalid_input", /500/));
});

Deno.test("queryKey() ignores case and spacing", () => {
  assert.equal(queryKey(" Deno  FMT "), queryKey("deno fmt"));
});

Deno.test("clampLimit() defaults to 5 and clamps to 1..20", () => {
  assert.equal(clampLimit(), 5);
  assert.equal(clampLimit(Number.NaN), 5);
  assert.equal(clampLimit(0), 1);
  assert.equal(clampLimit(-3), 1);
  assert.equal(clampLimit(7.9), 7);
  assert.equal(clampLimit(50), 20);
});
