import assert from "node:assert/strict";
import { csvText, parseCsv } from "./_csv_text.ts";

Deno.test("parseCsv() reads quoted cells with delimiters, newlines and quotes", () => {
  assert.deepEqual(parseCsv('a,"b,c","say ""hi""","two\nlines"\r\nx,,z\n'), [
    ["a", "b,c", 'say "hi"', "two\nlines"],
    ["x", "", "z"],
  ]);
  assert.deepEqual(parseCsv("a;b", ";"), [["a", "b"]]);
  assert.deepEqual(parseCsv(""), []);
});

Deno.test("csvText() writes the columns, then one column: value line per row", () => {
  assert.equal(
    csvText("name,age,city\nAda,36,\n\nBob,,Paris,extra\n"),
    "Columns: name, age, city\nname: Ada; age: 36\nname: Bob; city: Paris; column 4: extra",
  );
});

Deno.test("csvText() finds ; and tab delimiters from the first line", () => {
  assert.equal(csvText("a;b\n1,5;2"), "Columns: a, b\na: 1,5; b: 2");
  assert.equal(csvText("a\tb\n1\t2"), "Columns: a, b\na: 1; b: 2");
});

Deno.test("csvText() gives just the columns for a header-only file", () => {
  assert.equal(csvText("a,b\n"), "Columns: a, b");
  assert.equal(csvText(",x"), "Columns: column 1, x");
});
