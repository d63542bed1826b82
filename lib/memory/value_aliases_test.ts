import assert from "node:assert/strict";
import { sameValueKey, valueAliases } from "./value_aliases.ts";

Deno.test("sameValueKey() finds 8192 MB in 8 GB and 1.5 TB in 1500 GB, not 8 GB in 64 GB", () => {
  assert.ok(sameValueKey("size:8192:mb", "size:8:gb"));
  assert.ok(sameValueKey("size:1.5:tb", "size:1500:gb"));
  assert.ok(!sameValueKey("size:8:gb", "size:64:gb"));
});

Deno.test("sameValueKey() finds two weeks in 14 days, not in 14 hours; months match only as written", () => {
  assert.ok(sameValueKey("size:2:wk", "size:14:d"));
  assert.ok(!sameValueKey("size:14:h", "size:14:d"));
  assert.deepEqual(valueAliases("size:3:mo"), ["size:3:mo"]);
});

Deno.test("valueAliases() gives a full date its month and day", () => {
  assert.deepEqual(valueAliases("date:2026-04-12"), ["date:2026-04-12", "date:04-12"]);
  assert.deepEqual(valueAliases("time:05:00"), ["time:05:00"]);
});
