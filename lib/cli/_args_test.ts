import assert from "node:assert/strict";
import { parseCommandArgs, stringFlag } from "./_args.ts";
import { isMycoError } from "../core/mod.ts";

const options = {
  model: { type: "string" as const, short: "m" },
  json: { type: "boolean" as const },
};

Deno.test("parseCommandArgs() reads flags, positionals, --help and --version", () => {
  const parsed = parseCommandArgs("ask", ["-m", "x", "--json", "hi"], options, {
    maxPositionals: 1,
  });
  assert.equal(parsed.values.model, "x");
  assert.equal(parsed.values.json, true);
  assert.deepEqual(parsed.positionals, ["hi"]);
  assert.equal(parseCommandArgs("ask", ["--help"], options).help, true);
  assert.equal(parseCommandArgs("ask", ["-V"], options).version, true);
});

Deno.test("parseCommandArgs() names the bad word in a one-line usage error", () => {
  const cases: [string[], RegExp][] = [
    [["--fast"], /^ask: unknown flag '--fast' \(see mycoswarm ask --help\)$/],
    [["--json=yes"], /flag '--json' takes no value/],
    [["-x"], /unknown flag '-x'/],
    [["--model"], /flag '--model' needs a value/],
    [["extra"], /unexpected argument 'extra'/],
  ];
  for (const [argv, pattern] of cases) {
    assert.throws(() => parseCommandArgs("ask", argv, options), (e) => {
      assert.ok(isMycoError(e, "usage"));
      assert.equal(e.exitCode, 2);
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("stringFlag() refuses an empty value", () => {
  assert.equal(stringFlag("ask", { model: "m" }, "model"), "m");
  assert.equal(stringFlag("ask", {}, "model"), undefined);
  assert.throws(() => stringFlag("ask", { model: " " }, "model"), /'--model' needs a value/);
});
