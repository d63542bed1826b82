import assert from "node:assert/strict";
import { createError } from "../core/mod.ts";
import type { TaskHandler } from "../orchestrator/mod.ts";
import { send, testApi } from "../../testing/test_api.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function errorOf(res: Response) {
  return { status: res.status, ...(await res.json()).error };
}

Deno.test("POST /task queues a task: 202 {task_id, status, node_id}; GET /task/:id has the result", async () => {
  await using api = testApi();
  const res = await send(api.app, "/task", {
    body: { task_type: "ping", payload: { hi: 1 }, task_id: "job-1", priority: 9 },
  });
  assert.equal(res.status, 202);
  assert.deepEqual(await res.json(), {
    task_id: "job-1",
    status: "pending",
    node_id: "myco-aaaaaaaaaaaa",
  });
  await tick();
  const done = await (await send(api.app, "/task/job-1")).json();
  assert.deepEqual(done, {
    task_id: "job-1",
    task_type: "ping",
    status: "completed",
    result: { echo: { hi: 1 }, message: "pong" },
    error: null,
    duration_seconds: 0,
    node_id: "myco-aaaaaaaaaaaa",
  });
  const generated = await (await send(api.app, "/task", { body: { task_type: "ping" } })).json();
  assert.match(generated.task_id, /^[0-9a-f-]{36}$/);
});

Deno.test("GET /task/:id of an unknown task is 404", async () => {
  await using api = testApi();
  const res = await send(api.app, "/task/nope");
  assert.deepEqual(await errorOf(res), {
    status: 404,
    code: "not_found",
    message: "No task 'nope' on this node (finished tasks are kept for a while)",
  });
});

Deno.test("POST /task refuses a body that is not a JSON object with 400", async () => {
  await using api = testApi();
  const notJson = await errorOf(await send(api.app, "/task", { body: "{task_type: ping" }));
  assert.equal(notJson.status, 400);
  assert.equal(notJson.code, "invalid_input");
  assert.match(notJson.message, /^The request body is not JSON/);
  const list = await errorOf(await send(api.app, "/task", { body: "[1]" }));
  assert.match(list.message, /must be a JSON object/);
  const empty = await errorOf(await send(api.app, "/task", { method: "POST" }));
  assert.equal(empty.status, 400);
});

Deno.test("POST /task names the bad field: type, priority, timeout, payload, task_id", async () => {
  await using api = testApi();
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{}, "task_type", /task_type is required/],
    [{ task_type: "dance" }, "task_type", /task_type must be one of inference, embedding/],
    [{ task_type: "ping", priority: 0 }, "priority", /priority must be an integer from 1 to 10/],
    [{ task_type: "ping", priority: 5.5 }, "priority", /priority must be an integer/],
    [{ task_type: "ping", timeout_seconds: 3601 }, "timeout_seconds", /from 1 to 3600/],
    [{ task_type: "ping", timeout_seconds: "60" }, "timeout_seconds", /must be an integer/],
    [{ task_type: "ping", payload: [1] }, "payload", /payload must be a JSON object/],
    [{ task_type: "ping", task_id: "a/b" }, "task_id", /task_id must be/],
  ];
  for (const [body, field, pattern] of cases) {
    const error = await errorOf(await send(api.app, "/task", { body }));
    assert.equal(error.status, 400, JSON.stringify(body));
    assert.equal(error.field, field);
    assert.match(error.message, pattern);
  }
});

Deno.test("POST /task refuses a task type this node does not run, and a reused id", async () => {
  await using api = testApi();
  const missing = await errorOf(
    await send(api.app, "/task", { body: { task_type: "embedding", payload: { text: "x" } } }),
  );
  assert.deepEqual([missing.status, missing.message, missing.field], [
    400,
    "task_type 'embedding' is not run on this node",
    "task_type",
  ]);
  await (await send(api.app, "/task", { body: { task_type: "ping", task_id: "x" } })).json();
  const again = await errorOf(
    await send(api.app, "/task", { body: { task_type: "ping", task_id: "x" } }),
  );
  assert.deepEqual([again.status, again.message, again.field], [
    400,
    "task_id 'x' is already in use",
    "task_id",
  ]);
});

Deno.test("POST /task checks the payload at once, naming the payload field", async () => {
  const check: TaskHandler = {
    validate(payload) {
      if (typeof payload.temperature !== "number") {
        throw createError("invalid_input", "payload.temperature must be a number", {
          field: "payload.temperature",
        });
      }
    },
    run: () => Promise.resolve(null),
  };
  await using api = testApi({ queue: { handlers: { inference: check } } });
  const error = await errorOf(
    await send(api.app, "/task", { body: { task_type: "inference", payload: {} } }),
  );
  assert.deepEqual([error.status, error.code, error.message, error.field], [
    400,
    "invalid_input",
    "payload.temperature must be a number",
    "payload.temperature",
  ]);
});

Deno.test("POST /task over the body limit is 413, with or without Content-Length", async () => {
  await using api = testApi({ api: { maxBodyBytes: 1000 } });
  const big = JSON.stringify({ task_type: "ping", payload: { text: "x".repeat(2000) } });
  const sized = await errorOf(await send(api.app, "/task", { body: big }));
  assert.deepEqual([sized.status, sized.code], [413, "payload_too_large"]);
  const stream = new Blob([big]).stream();
  const chunked = await api.app.request("/task", {
    method: "POST",
    headers: { "X-Swarm-Token": api.deps.token },
    body: stream,
  });
  assert.equal((await errorOf(chunked)).status, 413);
  const fits = await send(api.app, "/task", { body: { task_type: "ping", payload: {} } });
  assert.equal(fits.status, 202);
  await fits.body?.cancel();
});

Deno.test("POST /task on a full queue is 503 with Retry-After", async () => {
  const blocking: TaskHandler = {
    run: (_payload, ctx) =>
      new Promise((_, reject) =>
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))
      ),
  };
  await using api = testApi({
    queue: { handlers: { ping: blocking }, concurrency: 1, maxQueued: 2 },
    api: { retryAfterSeconds: 7 },
  });
  for (let i = 0; i < 3; i++) {
    const ok = await send(api.app, "/task", { body: { task_type: "ping" } });
    assert.equal(ok.status, 202);
    await ok.body?.cancel();
  }
  const full = await send(api.app, "/task", { body: { task_type: "ping" } });
  assert.equal(full.headers.get("retry-after"), "7");
  const error = await errorOf(full);
  assert.deepEqual([error.status, error.code], [503, "queue_full"]);
  assert.match(error.message, /Task queue full/);
  const running = await (await send(api.app, "/status")).json();
  assert.deepEqual([running.load.tasks.queued, running.load.tasks.active], [2, 1]);
  await api.queue.close();
  const closed = await errorOf(await send(api.app, "/task", { body: { task_type: "ping" } }));
  assert.deepEqual([closed.status, closed.code], [503, "shutting_down"]);
});
