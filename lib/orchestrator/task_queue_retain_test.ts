import assert from "node:assert/strict";
import { ManualTime } from "../../testing/time.ts";
import { isSummary, jsonBytes } from "./_summary.ts";
import { TaskQueue, type TaskQueueOptions } from "./task_queue.ts";
import type { TaskHandler } from "./types.ts";

const MIB = 1024 * 1024;

/** Answers like an inference: `payload.size` characters of response. */
const big: TaskHandler = {
  run: (payload) =>
    Promise.resolve({
      response: "x".repeat(Number(payload.size ?? MIB)),
      model: "m",
      tokens_per_second: 12.5,
    }),
};

function queueWith(options: Partial<TaskQueueOptions> = {}) {
  const time = new ManualTime();
  let n = 0;
  const queue = new TaskQueue({
    handlers: { inference: big, embedding: big },
    nodeId: "myco-0123456789ab",
    clock: time,
    timers: time,
    newId: () => `t${++n}`,
    concurrency: 4,
    maxQueued: 1000,
    ...options,
  });
  return { queue, time };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("jsonBytes() is about the length of the JSON", () => {
  for (
    const value of [
      { response: "hello", model: "m", n: 3, ok: true, none: null },
      [1, 2.5, -0.123456789, "a\u00e9"],
      { nested: { list: [[1], [2, 3]], text: "x".repeat(1000) } },
    ]
  ) {
    const exact = JSON.stringify(value).length;
    const estimate = jsonBytes(value);
    assert.ok(Math.abs(estimate - exact) <= exact * 0.5 + 20, `${estimate} vs ${exact}`);
  }
});

Deno.test("TaskQueue: 500 tasks of 1 MiB results leave the retained bytes under the budget", async () => {
  const { queue } = queueWith();
  const ended: number[] = []; // each answer's length as its watcher heard it
  for (let i = 0; i < 500; i++) {
    const { task_id } = queue.submit({ task_type: "inference", payload: { prompt: "hi" } });
    queue.subscribe(task_id, (e) => {
      if (e.type === "end") ended.push((e.task.result as { response: string }).response.length);
    });
    if (i % 4 === 3) await tick();
  }
  while (ended.length < 500) await tick();
  const retained = queue.retained();
  assert.equal(retained.tasks, 500, "every task is still known");
  assert.ok(retained.bytes <= 32_000_000, `${retained.bytes} bytes kept`);
  // Whoever waited at the end heard the whole result.
  assert.ok(ended.every((length) => length === MIB));
  // The oldest are summaries: the size, the model, the speed and the start of the answer.
  const oldest = queue.get("t1")!.result as Record<string, unknown>;
  assert.ok(isSummary(oldest));
  assert.equal(oldest.model, "m");
  assert.equal(oldest.tokens_per_second, 12.5);
  assert.ok(Number(oldest.bytes) > MIB);
  assert.ok(String(oldest.response).length < 300);
  // The newest keeps its whole result for a while.
  assert.equal((queue.get("t500")!.result as { response: string }).response.length, MIB);
  await queue.close();
});

Deno.test("TaskQueue keeps a large result whole for keepFullMs, then a summary", async () => {
  const { queue, time } = queueWith({ keepFullMs: 10_000 });
  const { task_id } = queue.submit({ task_type: "inference", payload: { size: 100_000 } });
  await tick();
  assert.equal((queue.get(task_id)!.result as { response: string }).response.length, 100_000);
  assert.equal(queue.retained().full, 1);
  time.advance(10_000);
  const later = queue.get(task_id)!.result as { response: string; bytes: number };
  assert.ok(isSummary(later));
  assert.ok(later.bytes >= 100_000);
  assert.ok(queue.retained().bytes < 2000, "only the summary is counted");
  assert.equal(queue.retained().full, 0);
  await queue.close();
});

Deno.test("TaskQueue keeps a small result whole, and a large payload only while the task waits or runs", async () => {
  const { queue } = queueWith();
  const texts = Array.from({ length: 500 }, (_, i) => `document ${i} `.repeat(20));
  let seen: unknown = null;
  const embed: TaskHandler = {
    run: (payload) => {
      seen = payload;
      return Promise.resolve({ count: 500 });
    },
  };
  const q = new TaskQueue({ handlers: { embedding: embed }, nodeId: "n", clock: new ManualTime() });
  const { task_id } = q.submit({ task_type: "embedding", payload: { texts } });
  assert.deepEqual(q.get(task_id)!.payload, { texts }, "a waiting task keeps its payload");
  await tick();
  assert.deepEqual(seen, { texts }, "the handler gets it whole");
  const done = q.get(task_id)!;
  assert.deepEqual(done.result, { count: 500 });
  assert.ok(isSummary(done.payload));
  assert.deepEqual((done.payload as unknown as { texts: unknown[] }).texts.length, 5);
  await q.close();
  await queue.close();
});

Deno.test("TaskQueue forgets the oldest finished tasks past retainBytes", async () => {
  const { queue } = queueWith({ retainBytes: 50_000, retainItemBytes: 100_000 });
  for (let i = 0; i < 10; i++) {
    queue.submit({ task_type: "inference", payload: { size: 10_000 } });
  }
  while (queue.stats().completed < 10) await tick();
  const { tasks, bytes } = queue.retained();
  assert.ok(bytes <= 50_000);
  assert.ok(tasks >= 4 && tasks < 10, `${tasks} kept`);
  assert.equal(queue.get("t1"), undefined);
  assert.equal((queue.get("t10")!.result as { response: string }).response.length, 10_000);
  await queue.close();
});
