import assert from "node:assert/strict";
import { intFlag, parseCommandArgs, stringFlag } from "./_args.ts";
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

Deno.test("intFlag() reads a whole number in range, or the default when absent", () => {
  const range = { min: 1, max: 100 };
  assert.equal(intFlag("ping", { count: "7" }, "count", range), 7);
  assert.equal(intFlag("ping", { count: " 100 " }, "count", range), 100);
  assert.equal(intFlag("ping", {}, "count", range), undefined);
  assert.equal(intFlag("ping", {}, "count", { ...range, default: 3 }), 3);
  const port = { min: 0, max: 65535 };
  assert.equal(intFlag("daemon", { port: "0" }, "port", port), 0);
  assert.equal(intFlag("daemon", { port: "65535" }, "port", port), 65535);
});

Deno.test("intFlag() refuses anything else with a usage error naming the flag and range", () => {
  for (
    const bad of [
      "0",
      "101",
      "-1",
      "+5",
      "1.5",
      "5.0",
      "1e1",
      "0x10",
      "ten",
      "99999999999999999999",
    ]
  ) {
    assert.throws(() => intFlag("ping", { count: bad }, "count", { min: 1, max: 100 }), (e) => {
      assert.ok(isMycoError(e, "usage"));
      assert.equal(e.exitCode, 2);
      assert.equal(e.message, `ping: --count must be a whole number from 1 to 100, not '${bad}'`);
      return true;
    });
  }
  assert.throws(
    () =>
      intFlag("research", { "max-results": "21" }, "max-results", { min: 1, max: 20, flag: "-n" }),
    /research: -n must be a whole number from 1 to 20, not '21'$/,
  );
  assert.throws(
    () => intFlag("daemon", { port: "65536" }, "port", { min: 0, max: 65535 }),
    /daemon: --port must be a whole number from 0 to 65535, not '65536'/,
  );
  assert.throws(
    () => intFlag("ping", { count: " " }, "count", { min: 1, max: 9 }),
    /'--count' needs a value/,
  );
});
