import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { ManualTime } from "../../testing/time.ts";
import { QueueBusyError, TaskQueue, type TaskQueueOptions } from "./task_queue.ts";
import type { TaskEvent, TaskHandler, TaskPayload } from "./types.ts";

const NODE = "myco-0123456789ab";

/** A handler whose tasks finish when the test says, keyed by payload.name. */
function controlled() {
  const started: string[] = [];
  const gates = new Map<string, PromiseWithResolvers<unknown>>();
  const handler: TaskHandler = {
    run(payload: TaskPayload, ctx) {
      const name = String(payload.name);
      started.push(name);
      const gate = Promise.withResolvers<unknown>();
      gates.set(name, gate);
      ctx.signal.addEventListener("abort", () => gate.reject(ctx.signal.reason), { once: true });
      return gate.promise;
    },
  };
  return {
    handler,
    started,
    finish: (name: string, value: unknown = name) => gates.get(name)!.resolve(value),
  };
}

function queueWith(handler: TaskHandler, options: Partial<TaskQueueOptions> = {}) {
  const time = new ManualTime();
  let n = 0;
  const queue = new TaskQueue({
    handlers: { ping: handler, inference: handler },
    nodeId: NODE,
    clock: time,
    timers: time,
    newId: () => `t${++n}`,
    ...options,
  });
  return { queue, time };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("TaskQueue runs at most `concurrency` tasks, higher priority first, FIFO within one", async () => {
  const c = controlled();
  const { queue } = queueWith(c.handler, { concurrency: 1 });
  for (const [name, priority] of [["a", 5], ["b", 1], ["c", 9], ["d", 5], ["e", 9]] as const) {
    queue.submit({ task_type: "ping", payload: { name }, priority });
  }
  await tick();
  assert.deepEqual(c.started, ["a"]);
  assert.deepEqual(queue.stats().queued, 4);
  for (const name of ["a", "c", "e", "d"]) {
    c.finish(name);
    await tick();
  }
  assert.deepEqual(c.started, ["a", "c", "e", "d", "b"]);
  c.finish("b");
  await tick();
  await queue.close();
  assert.equal(queue.stats().completed, 5);
});

Deno.test("TaskQueue records status, result, times and node id", async () => {
  const c = controlled();
  const { queue, time } = queueWith(c.handler);
  const submitted = queue.submit({ task_type: "ping", payload: { name: "a" }, task_id: "my-id" });
  assert.equal(submitted.task_id, "my-id");
  assert.equal(submitted.node_id, NODE);
  assert.equal(submitted.priority, 5);
  assert.equal(submitted.timeout_seconds, 300);
  assert.equal(queue.get("my-id")!.status, "running");
  time.advance(1500);
  await tick();
  c.finish("a", { ok: 1 });
  await tick();
  const done = queue.get("my-id")!;
  assert.equal(done.status, "completed");
  assert.deepEqual(done.result, { ok: 1 });
  assert.equal(done.error, null);
  assert.equal(done.finished_at! - done.started_at!, 1500);
  assert.equal(time.pending, 0, "the timeout timer is cleared");
  await queue.close();
});

Deno.test("TaskQueue refuses when full with QueueBusyError, and bad input with invalid_input", async () => {
  const c = controlled();
  const { queue } = queueWith(c.handler, { concurrency: 1, maxQueued: 2 });
  queue.submit({ task_type: "ping", payload: { name: "a" } });
  queue.submit({ task_type: "ping", payload: { name: "b" } });
  queue.submit({ task_type: "ping", payload: { name: "c" } });
  assert.throws(
    () => queue.submit({ task_type: "ping", payload: { name: "d" } }),
    (e) => e instanceof QueueBusyError && e.reason === "full",
  );
  const bad = (input: Parameters<TaskQueue["submit"]>[0], pattern: RegExp) =>
    assert.throws(
      () => queue.submit(input),
      (e) => isMycoError(e, "invalid_input") && pattern.test(e.message),
    );
  bad({ task_type: "embedding", payload: {} }, /task_type 'embedding' is not run/);
  bad({ task_type: "ping", payload: {}, task_id: "t1" }, /already in use/);
  bad({ task_type: "ping", payload: {}, task_id: "a b" }, /task_id must be/);
  bad({ task_type: "ping", payload: {}, priority: 11 }, /priority must be an integer from 1 to 10/);
  bad({ task_type: "ping", payload: {}, timeout_seconds: 0 }, /timeout_seconds must be/);
  await queue.close();
  assert.throws(
    () => queue.submit({ task_type: "ping", payload: {} }),
    (e) => e instanceof QueueBusyError && e.reason === "closed",
  );
});

Deno.test("TaskQueue fails a task at its timeout and aborts its handler", async () => {
  const c = controlled();
  const { queue, time } = queueWith(c.handler);
  queue.submit({ task_type: "ping", payload: { name: "slow" }, timeout_seconds: 2 });
  time.advance(1999);
  await tick();
  assert.equal(queue.get("t1")!.status, "running");
  time.advance(1);
  await tick();
  const task = queue.get("t1")!;
  assert.equal(task.status, "failed");
  assert.equal(task.error, "Task timed out after 2 s");
  assert.equal(queue.stats().failed, 1);
  await queue.close();
});

Deno.test("TaskQueue ends a task at its timeout even if the handler ignores the signal", async () => {
  const never: TaskHandler = { run: () => new Promise(() => {}) };
  const { queue, time } = queueWith(never, { concurrency: 1 });
  queue.submit({ task_type: "ping", payload: {}, timeout_seconds: 1 });
  queue.submit({ task_type: "ping", payload: {} });
  time.advance(1000);
  await tick();
  assert.equal(queue.get("t1")!.status, "failed");
  assert.equal(queue.get("t2")!.status, "running", "the slot is freed");
  time.advance(300_000);
  await queue.close();
});

Deno.test("TaskQueue streams output to subscribers, replays it to late ones, then ends", async () => {
  let emit: (text: string) => void = () => {};
  const done = Promise.withResolvers<unknown>();
  const streaming: TaskHandler = {
    run(_payload, ctx) {
      emit = ctx.emit;
      return done.promise;
    },
  };
  const { queue } = queueWith(streaming, { concurrency: 1 });
  queue.submit({ task_type: "ping", payload: {} });
  queue.submit({ task_type: "ping", payload: {} });
  const early: TaskEvent[] = [];
  const waiting: TaskEvent[] = [];
  queue.subscribe("t1", (e) => early.push(e));
  queue.subscribe("t2", (e) => waiting.push(e));
  await tick();
  emit("Hel");
  emit("lo");
  const late: TaskEvent[] = [];
  queue.subscribe("t1", (e) => late.push(e));
  emit("!");
  done.resolve({ response: "Hello!" });
  await tick();
  const texts = (events: TaskEvent[]) => events.map((e) => e.type === "token" ? e.text : "END");
  assert.deepEqual(texts(early), ["Hel", "lo", "!", "END"]);
  assert.deepEqual(texts(late), ["Hello", "!", "END"]);
  const end = early.at(-1);
  assert.ok(end?.type === "end" && end.task.status === "completed");
  assert.equal(queue.subscribe("t1", () => {}), null, "a finished task has nothing to stream");
  assert.equal(queue.subscribe("nope", () => {}), null);
  await queue.close();
  assert.deepEqual(texts(waiting), ["END"], "t2 ended when the queue closed");
});

Deno.test("TaskQueue keeps only the last `retain` finished tasks", async () => {
  const { queue } = queueWith(
    { run: (p) => Promise.resolve(p) },
    { retain: 3 },
  );
  for (let i = 0; i < 5; i++) queue.submit({ task_type: "ping", payload: { i } });
  await tick();
  await tick();
  assert.equal(queue.get("t1"), undefined);
  assert.equal(queue.get("t2"), undefined);
  assert.deepEqual(queue.get("t5")!.result, { i: 4 });
  await queue.close();
});

Deno.test("TaskQueue.close() fails waiting tasks, aborts running ones, clears timers; idempotent", async () => {
  const c = controlled();
  const { queue, time } = queueWith(c.handler, { concurrency: 1 });
  queue.submit({ task_type: "ping", payload: { name: "a" } });
  queue.submit({ task_type: "ping", payload: { name: "b" } });
  await tick();
  const first = queue.close();
  assert.equal(queue.close(), first);
  await first;
  assert.equal(queue.get("t1")!.status, "failed");
  assert.match(queue.get("t1")!.error!, /shut down during the task/);
  assert.match(queue.get("t2")!.error!, /shut down before the task started/);
  assert.deepEqual(c.started, ["a"]);
  assert.equal(time.pending, 0);
});

Deno.test("TaskQueue reports a handler's error with its hint", async () => {
  const { createError } = await import("../core/mod.ts");
  const failing: TaskHandler = {
    run: () =>
      Promise.reject(
        createError("model_not_found", "Model 'x' is not installed", { hint: "Installed: a, b" }),
      ),
  };
  const { queue } = queueWith(failing);
  queue.submit({ task_type: "ping", payload: {} });
  await tick();
  assert.equal(queue.get("t1")!.error, "Model 'x' is not installed (Installed: a, b)");
  await queue.close();
});

Deno.test("TaskQueue.cancel() fails a waiting task, stops a running one, leaves a finished one", async () => {
  const c = controlled();
  const { queue } = queueWith(c.handler, { concurrency: 1 });
  const running = queue.submit({ task_type: "ping", payload: { name: "a" } });
  const waiting = queue.submit({ task_type: "ping", payload: { name: "b" } });
  const done = queue.submit({ task_type: "ping", payload: { name: "c" }, priority: 9 });
  await tick();
  assert.deepEqual(c.started, ["a"]);

  const ended: TaskEvent[] = [];
  queue.subscribe(waiting.task_id, (e) => ended.push(e));
  assert.equal(queue.cancel(waiting.task_id)?.status, "failed");
  assert.equal(queue.get(waiting.task_id)?.error, "Cancelled by the client");
  assert.equal(ended.at(-1)?.type, "end", "its watchers hear the end");

  queue.cancel(running.task_id, "Stopped: nobody waits");
  await tick();
  assert.equal(queue.get(running.task_id)?.status, "failed");
  assert.equal(queue.get(running.task_id)?.error, "Stopped: nobody waits");
  assert.deepEqual(c.started, ["a", "c"], "the next one starts");
  c.finish("c");
  await tick();
  assert.equal(queue.cancel(done.task_id)?.status, "completed");
  assert.equal(queue.cancel("nope"), undefined);
  await queue.close();
});
