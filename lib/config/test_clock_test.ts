import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { ManualTime } from "../../testing/time.ts";
import { clockFromEnvironment } from "./test_clock.ts";

const manualClock = (start: number) => new ManualTime(start);

Deno.test("clockFromEnvironment() keeps the real clock when MYCOSWARM_NOW is unset or empty", () => {
  const base = manualClock(5);
  assert.equal(clockFromEnvironment({}, base), base);
  assert.equal(clockFromEnvironment({ MYCOSWARM_NOW: "" }, base), base);
});

Deno.test("clockFromEnvironment() starts at an ISO date-time and advances with the real clock", () => {
  const base = manualClock(1_000_000);
  const clock = clockFromEnvironment({ MYCOSWARM_NOW: "2026-03-01T09:00:00Z" }, base);
  assert.equal(new Date(clock.now()).toISOString(), "2026-03-01T09:00:00.000Z");
  base.advance(1500);
  assert.equal(new Date(clock.now()).toISOString(), "2026-03-01T09:00:01.500Z");
});

Deno.test("clockFromEnvironment() takes milliseconds since the epoch and offsets", () => {
  assert.equal(
    clockFromEnvironment({ MYCOSWARM_NOW: "86400000" }, manualClock(0)).now(),
    86_400_000,
  );
  const clock = clockFromEnvironment(
    { MYCOSWARM_NOW: "2026-03-01T10:00:00+01:00" },
    manualClock(0),
  );
  assert.equal(new Date(clock.now()).toISOString(), "2026-03-01T09:00:00.000Z");
});

Deno.test("clockFromEnvironment() refuses text that is not a date-time, naming the variable", () => {
  for (const value of ["tomorrow", "3/1/26", "2026-13-45T00:00:00Z", "1e3"]) {
    assert.throws(
      () => clockFromEnvironment({ MYCOSWARM_NOW: value }, manualClock(0)),
      (error) => isMycoError(error, "config_invalid") && error.message.includes("MYCOSWARM_NOW"),
      value,
    );
  }
});
