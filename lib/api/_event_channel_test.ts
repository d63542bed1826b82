import assert from "node:assert/strict";
import { EventChannel } from "./_event_channel.ts";

Deno.test("EventChannel yields pushed values in order and ends after close", async () => {
  const channel = new EventChannel<number>();
  channel.push(1);
  channel.push(2);
  setTimeout(() => (channel.push(3), channel.close()), 0);
  const seen: number[] = [];
  for await (const value of channel) seen.push(value);
  assert.deepEqual(seen, [1, 2, 3]);
  channel.push(4);
  assert.deepEqual(channel.takeWhile(() => true), [], "nothing is taken after close");
});

Deno.test("nextTurnOr waits for the I/O of this turn, or less when the last value comes", async () => {
  const channel = new EventChannel<string>();
  setTimeout(() => channel.push("from a timer"), 0);
  await channel.nextTurnOr((v) => v === "end");
  assert.deepEqual(channel.takeWhile(() => true), ["from a timer"]);

  // The matching value ends the wait at once: no turn passes, the timer has not fired.
  let fired = false;
  const timer = setTimeout(() => (fired = true), 0);
  const waiting = channel.nextTurnOr((v) => v === "end");
  queueMicrotask(() => channel.push("end"));
  await waiting;
  assert.equal(fired, false);
  clearTimeout(timer);
  assert.deepEqual(channel.takeWhile(() => true), ["end"]);

  channel.close();
  await channel.nextTurnOr(() => false); // closed: resolves at once
});
