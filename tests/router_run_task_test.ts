/**
 * TaskRouter.runTask: a node's own pipeline runs its tasks through its router in process —
 * on this node without any HTTP, or relayed to the peer that fits — with tokens, notes,
 * the node that ran it, failures and cancellation as a client of `POST /task` gets them.
 */

import assert from "node:assert/strict";
import { createError, isMycoError, systemClock } from "../lib/core/mod.ts";
import { PeerTable } from "../lib/discovery/mod.ts";
import {
  DEGRADED_NOTE,
  localFacts,
  type TaskHandler,
  type TaskHandlers,
  TaskQueue,
  TaskRouter,
} from "../lib/orchestrator/mod.ts";
import { addPeer, startTestNode, TEST_TOKEN, testIdentity } from "./support/test_nodes.ts";

/** Streams "hel", "lo" and answers like an inference. */
const talker: TaskHandler = {
  run(_payload, ctx) {
    ctx.emit("hel");
    ctx.emit("lo");
    return Promise.resolve({ response: "hello", model: "m", tokens_per_second: 1 });
  },
};

/** Emits "part", then waits until aborted. */
const hanging: TaskHandler = {
  run: (_payload, ctx) =>
    new Promise((_, reject) => {
      ctx.emit("part");
      ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
    }),
};

/** This node: a queue, a peer table and its router; every HTTP call it makes is counted. */
function here(handlers: TaskHandlers, caps = ["cpu_inference", "cpu_worker"]) {
  const identity = testIdentity({ nodeId: "myco-00000000000a", caps, handlers });
  const queue = new TaskQueue({ handlers, nodeId: identity.node_id, clock: systemClock });
  const peers = new PeerTable({ selfId: identity.node_id });
  const calls: string[] = [];
  const router = new TaskRouter({
    peers,
    local: { facts: () => localFacts(identity), queue },
    token: TEST_TOKEN,
    fetch: (input, init) => {
      calls.push(`${init?.method ?? "GET"} ${new URL(String(input)).host}`);
      return fetch(input, init);
    },
    clock: systemClock,
  });
  return {
    identity,
    queue,
    peers,
    router,
    calls,
    async [Symbol.asyncDispose]() {
      await router.close();
      await queue.close();
    },
  };
}

Deno.test("runTask() on this node: tokens, result and node id, without any HTTP", async () => {
  await using node = here({ inference: talker });
  const tokens: string[] = [];
  const ran: string[] = [];
  const result = await node.router.runTask("inference", { prompt: "hi" }, {
    onToken: (t) => tokens.push(t),
    onNode: (id) => ran.push(id),
  });
  assert.deepEqual(result, { response: "hello", model: "m", tokens_per_second: 1 });
  assert.equal(tokens.join(""), "hello");
  assert.deepEqual(ran, [node.identity.node_id]);
  assert.deepEqual(node.calls, []);
});

Deno.test("runTask() relays to the peer that fits, and names it", async () => {
  await using node = here({ inference: talker }, ["cpu_worker"]);
  await using gpu = startTestNode({
    nodeId: "myco-00000000000b",
    tier: "executive",
    caps: ["gpu_inference", "cpu_worker"],
    vramMb: 24576,
    handlers: { inference: talker },
  });
  addPeer(node.peers, gpu);
  const tokens: string[] = [];
  let ranOn = "";
  await node.router.runTask("inference", { prompt: "hi" }, {
    onToken: (t) => tokens.push(t),
    onNode: (id) => ranOn = id,
  });
  assert.equal(ranOn, gpu.nodeId);
  assert.equal(tokens.join(""), "hello");
  assert.ok(gpu.requests.includes("POST /task"));
  assert.equal(node.queue.stats().completed, 0, "nothing ran here");
});

Deno.test("runTask() says when no peer fits and this node runs the task degraded", async () => {
  await using node = here({ inference: talker }, ["cpu_worker"]);
  const notes: string[] = [];
  await node.router.runTask("inference", { prompt: "hi" }, { onNote: (n) => notes.push(n) });
  assert.deepEqual(notes, [DEGRADED_NOTE]);
});

Deno.test("runTask(): a failed task is an error with the caller's code, naming the node", async () => {
  const failing: TaskHandler = {
    run: () => Promise.reject(new Error("the model server fell over")),
  };
  await using node = here({ web_search: failing });
  const error = await node.router.runTask("web_search", { query: "deno" }, {
    failureCode: "web_unavailable",
  }).catch((e) => e);
  assert.ok(isMycoError(error, "web_unavailable"), String(error));
  assert.equal(error.message, `web_search on ${node.identity.node_id}: the model server fell over`);
  const other = await node.router.runTask("web_search", { query: "deno" }).catch((e) => e);
  assert.ok(isMycoError(other, "swarm_unavailable"), "the default code");
});

Deno.test("runTask(): a bad payload is refused before anything runs", async () => {
  const checked: TaskHandler = {
    ...talker,
    validate(payload) {
      if (typeof payload.prompt !== "string") {
        throw createError("invalid_input", "payload.prompt must be text", {
          field: "payload.prompt",
        });
      }
    },
  };
  await using node = here({ inference: checked });
  await assert.rejects(
    () => node.router.runTask("inference", { prompt: 42 }),
    (e: unknown) => isMycoError(e, "invalid_input"),
  );
  assert.equal(node.queue.stats().completed + node.queue.stats().failed, 0);
});

Deno.test("runTask(): the caller's signal cancels the task here, and on the peer running it", async () => {
  await using node = here({ inference: hanging });
  const controller = new AbortController();
  const running = node.router.runTask("inference", { prompt: "hi" }, {
    signal: controller.signal,
    onToken: () => controller.abort(),
  });
  await assert.rejects(running);
  assert.equal(node.queue.stats().failed, 1);

  await using relay = here({}, ["cpu_worker"]);
  await using gpu = startTestNode({
    nodeId: "myco-00000000000c",
    tier: "executive",
    caps: ["gpu_inference", "cpu_worker"],
    vramMb: 24576,
    handlers: { inference: hanging },
  });
  addPeer(relay.peers, gpu);
  const stop = new AbortController();
  const relayed = relay.router.runTask("inference", { prompt: "hi" }, {
    signal: stop.signal,
    onToken: () => stop.abort(),
  });
  await assert.rejects(relayed);
  for (let i = 0; i < 100 && gpu.queue.stats().failed === 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(gpu.queue.stats().failed, 1, "the peer's task was stopped");
});

Deno.test("runTask() relayed: a large result comes back whole, even when it ended before the stream opened", async () => {
  // Answers at once (no tokens), so the peer's task may end before the relay follows it:
  // the relay then reads the retained record, which must still hold the whole result.
  const response = "y".repeat(3 * 1024 * 1024);
  const quick: TaskHandler = {
    run: () => Promise.resolve({ response, model: "m", tokens_per_second: 1 }),
  };
  await using node = here({}, ["cpu_worker"]);
  await using gpu = startTestNode({
    nodeId: "myco-00000000000d",
    tier: "executive",
    caps: ["gpu_inference", "cpu_worker"],
    vramMb: 24576,
    handlers: { inference: quick },
  });
  addPeer(node.peers, gpu);
  for (let i = 0; i < 3; i++) {
    const result = await node.router.runTask("inference", { prompt: "hi" }) as {
      response: string;
    };
    assert.equal(result.response.length, response.length, "the whole answer");
  }
  assert.equal(gpu.queue.retained().full, 3, "the peer keeps them whole for a while");
});

Deno.test("runTask() with every queue full is swarm_unavailable (a 503 to chat clients), not a failed model", async () => {
  await using node = here({ inference: hanging });
  const full = new TaskQueue({
    handlers: { inference: hanging },
    nodeId: node.identity.node_id,
    clock: systemClock,
    concurrency: 1,
    maxQueued: 0,
  });
  await using _ = full;
  const router = new TaskRouter({
    peers: node.peers,
    local: { facts: () => localFacts(node.identity), queue: full },
    token: TEST_TOKEN,
    fetch,
    clock: systemClock,
  });
  await using __ = { [Symbol.asyncDispose]: () => router.close() };
  const stop = new AbortController();
  const first = router.runTask("inference", { prompt: "hi" }, { signal: stop.signal });
  first.catch(() => {});
  const error = await router.runTask("inference", { prompt: "again" }).catch((e) => e);
  assert.ok(isMycoError(error, "swarm_unavailable"), String(error));
  assert.match(error.message, /queue full/);
  stop.abort();
  await first.catch(() => {});
});

Deno.test("runTask() relays an inference built from a large client body (3 MiB) to a peer", async () => {
  let got = 0;
  const measuring: TaskHandler = {
    run: (payload) => {
      got = String((payload.messages as { content: string }[])[0]!.content).length;
      return Promise.resolve({ response: "ok", model: "m", tokens_per_second: 1 });
    },
  };
  await using node = here({}, ["cpu_worker"]);
  await using gpu = startTestNode({
    nodeId: "myco-00000000000e",
    tier: "executive",
    caps: ["gpu_inference", "cpu_worker"],
    vramMb: 24576,
    handlers: { inference: measuring },
  });
  addPeer(node.peers, gpu);
  const content = "q".repeat(3 * 1024 * 1024);
  const result = await node.router.runTask("inference", {
    messages: [{ role: "user", content }],
  }) as { response: string };
  assert.equal(result.response, "ok");
  assert.equal(got, content.length);
});
