import assert from "node:assert/strict";
import { jsonText } from "./_json_text.ts";

Deno.test("jsonText() writes keys and values, nested values indented", () => {
  assert.equal(
    jsonText({ name: "lab", tags: ["a", "b"], owner: { id: 7, alias: null }, empty: {}, none: [] }),
    "name: lab\ntags: a, b\nowner:\n  id: 7\n  alias: null\nempty:\nnone:",
  );
});

Deno.test("jsonText() writes arrays of objects as - items", () => {
  assert.equal(
    jsonText([{ id: 1, kind: "a" }, { id: 2, sub: { x: true } }, [1, 2], "s"]),
    "- id: 1\n  kind: a\n- id: 2\n  sub:\n    x: true\n- 1, 2\n- s",
  );
});

Deno.test("jsonText() writes a bare value as itself", () => {
  assert.equal(jsonText("hello"), "hello");
  assert.equal(jsonText(3.5), "3.5");
  assert.equal(jsonText([1, 2, 3]), "1, 2, 3");
  assert.equal(jsonText({}), "");
});
