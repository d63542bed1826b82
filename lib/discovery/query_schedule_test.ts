import assert from "node:assert/strict";
import { discoveryConfig } from "./config.ts";
import { announceSchedule, nextQueryDelay } from "./query_schedule.ts";

Deno.test("nextQueryDelay() waits a random 20–120 ms before the first query", () => {
  assert.equal(nextQueryDelay(0, { random: () => 0 }), 20);
  assert.equal(nextQueryDelay(0, { random: () => 0.5 }), 70);
  assert.equal(nextQueryDelay(0, { random: () => 0.9999 }), 119);
  for (let i = 0; i < 100; i++) {
    const delay = nextQueryDelay(0);
    assert.ok(delay >= 20 && delay < 120, `${delay}`);
  }
});

Deno.test("nextQueryDelay() starts at 1 s, doubles, and caps at 60 s", () => {
  const delays = [1, 2, 3, 4, 5, 6, 7, 8, 1_000_000].map((n) => nextQueryDelay(n));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
});

Deno.test("nextQueryDelay() follows the config", () => {
  const config = discoveryConfig({ queryFirstIntervalMs: 500, queryMaxIntervalMs: 3_000 });
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => nextQueryDelay(n, { config })), [
    500,
    1000,
    2000,
    3000,
    3000,
  ]);
});

Deno.test("announceSchedule() sends three announcements, gaps 1 s then 2 s", () => {
  assert.deepEqual(announceSchedule(), [0, 1000, 3000]);
});

Deno.test("announceSchedule() keeps RFC 6762 §8.3 bounds: 2 to 8 announcements", () => {
  assert.deepEqual(announceSchedule(discoveryConfig({ announceCount: 1 })), [0, 1000]);
  const many = announceSchedule(discoveryConfig({ announceCount: 20 }));
  assert.deepEqual(many, [0, 1000, 3000, 7000, 15000, 31000, 63000, 127000]);
});
