import assert from "node:assert/strict";
import { SourceLimiter } from "./_source_limiter.ts";

Deno.test("SourceLimiter gives a source its burst, then one answer per refill period", () => {
  const limiter = new SourceLimiter({ burst: 4, refillMs: 1_000, maxSources: 8 });
  const taken = Array.from({ length: 500 }, () => limiter.take("10.0.0.9:5353", 0));
  assert.equal(taken.filter(Boolean).length, 4);
  assert.equal(limiter.take("10.0.0.9:5353", 999), false);
  assert.equal(limiter.take("10.0.0.9:5353", 1_000), true);
  assert.equal(limiter.take("10.0.0.9:5353", 1_000), false);
  assert.equal(limiter.take("10.0.0.10:5353", 1_000), true, "another source has its own bucket");
  // Refills stop at the burst.
  const later = [1, 2, 3, 4, 5].map(() => limiter.take("10.0.0.9:5353", 60_000));
  assert.deepEqual(later, [true, true, true, true, false]);
});

Deno.test("SourceLimiter forgets the least recently seen source past maxSources", () => {
  const limiter = new SourceLimiter({ burst: 1, refillMs: 60_000, maxSources: 3 });
  for (let i = 0; i < 1_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}:5353`, 0);
  assert.equal(limiter.size, 3);
  const recent = new SourceLimiter({ burst: 1, refillMs: 60_000, maxSources: 2 });
  recent.take("a", 0);
  recent.take("b", 0);
  recent.take("a", 1); // a is the most recent now
  recent.take("c", 2); // b goes
  assert.equal(recent.take("a", 3), false, "a is still remembered, its bucket empty");
  assert.equal(recent.take("b", 3), true, "b was forgotten: a fresh bucket");
});
