import assert from "node:assert/strict";
import { isMycoError } from "./errors.ts";
import {
  invalidField,
  optionalInteger,
  optionalNumber,
  optionalString,
  optionalStrings,
  requireOne,
} from "./validate.ts";

/** Asserts `fn` fails with `invalid_input` (HTTP 400, exit 2), this message and field. */
function fails(fn: () => unknown, message: string, field: string) {
  assert.throws(fn, (e) => {
    assert.ok(isMycoError(e, "invalid_input"));
    assert.equal(e.message, message);
    assert.equal(e.field, field);
    assert.equal(e.httpStatus, 400);
    assert.equal(e.exitCode, 2);
    return true;
  });
}

Deno.test("invalidField() says '<field> <why>' and names the field", () => {
  fails(
    () => {
      throw invalidField("messages[2].role", "must be user");
    },
    "messages[2].role must be user",
    "messages[2].role",
  );
});

Deno.test("optionalString() reads text; absent and null are undefined", () => {
  assert.equal(optionalString({ a: "x" }, "a"), "x");
  assert.equal(optionalString({ a: " " }, "a"), " ");
  assert.equal(optionalString({}, "a"), undefined);
  assert.equal(optionalString({ a: null }, "a", { nonEmpty: true }), undefined);
  fails(() => optionalString({ a: 3 }, "a"), "a must be a string", "a");
  fails(
    () => optionalString({ a: " " }, "a", { nonEmpty: true, parent: "payload" }),
    "payload.a must not be empty",
    "payload.a",
  );
});

Deno.test("optionalNumber() and optionalInteger() keep to the range", () => {
  assert.equal(optionalNumber({ t: 0.5 }, "t", { min: 0, max: 2 }), 0.5);
  assert.equal(optionalNumber({ t: 2 }, "t", { min: 0, max: 2 }), 2);
  assert.equal(optionalNumber({}, "t", { min: 0, max: 2 }), undefined);
  for (const bad of [3, -0.1, "1", Infinity, NaN, true]) {
    fails(
      () => optionalNumber({ t: bad }, "t", { min: 0, max: 2 }),
      "t must be a number from 0 to 2",
      "t",
    );
  }
  assert.equal(optionalInteger({ n: 10 }, "n", { min: 1, max: 10 }), 10);
  for (const bad of [1.5, 0, 11, "5"]) {
    fails(
      () => optionalInteger({ n: bad }, "n", { min: 1, max: 10, parent: "payload" }),
      "payload.n must be an integer from 1 to 10",
      "payload.n",
    );
  }
});

Deno.test("optionalStrings() reads 1 to max non-empty strings, naming a bad item", () => {
  assert.deepEqual(optionalStrings({ l: ["a", "b"] }, "l", { max: 2 }), ["a", "b"]);
  assert.equal(optionalStrings({}, "l", { max: 2 }), undefined);
  for (const bad of [[], ["a", "b", "c"], "a"]) {
    fails(
      () => optionalStrings({ l: bad }, "l", { max: 2 }),
      "l must be a list of 1 to 2 strings",
      "l",
    );
  }
  fails(
    () => optionalStrings({ l: ["a", ""] }, "l", { max: 2, parent: "payload" }),
    "payload.l[1] must be text",
    "payload.l[1]",
  );
});

Deno.test("requireOne() names the first field when none is present", () => {
  requireOne({ b: 1 }, ["a", "b"]);
  fails(
    () => requireOne({ a: null }, ["a", "b"], { parent: "payload" }),
    "payload needs 'a' or 'b'",
    "payload.a",
  );
  fails(() => requireOne({}, ["a"]), "The input needs 'a'", "a");
});
