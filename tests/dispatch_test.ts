/**
 * dispatchTask() against real node APIs on loopback: failover on dispatch errors, a node
 * dying before or after its first output, degradation to this node, and giving up.
 */

import assert from "node:assert/strict";
import { createError, isMycoError, systemClock } from "../lib/core/mod.ts";
import {
  DEGRADED_NOTE,
  type DispatchOptions,
  dispatchTask,
  localFacts,
  pingHandler,
  TaskFailedError,
  type TaskHandler,
  TaskQueue,
} from "../lib/orchestrator/mod.ts";
import { PeerTable } from "../lib/discovery/mod.ts";
import {
  addPeer,
  deadPort,
  startTestNode,
  TEST_TOKEN,
  testIdentity,
} from "./support/test_nodes.ts";

const GPU = { tier: "executive", caps: ["gpu_inference", "cpu_worker"], vramMb: 24576 };
const CPU = { tier: "light", caps: ["cpu_inference", "cpu_worker"] };

/** Emits `first` (if any), then waits until aborted. */
function hanging(first?: string): TaskHandler {
  return {
    run: (_payload, ctx) =>
      new Promise((_, reject) => {
        if (first) ctx.emit(first);
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
      }),
  };
}

/** Streams "hel", "lo" and answers like an inference. */
const talker: TaskHandler = {
  run(_payload, ctx) {
    ctx.emit("hel");
    ctx.emit("lo");
    return Promise.resolve({ response: "hello", model: "m", tokens_per_second: 1 });
  },
};

/** This node: a queue (a light box without inference unless told) and a peer table. */
function here(handlers = {}, caps = ["cpu_worker"]) {
  const identity = testIdentity({ nodeId: "myco-00000000000a", caps, handlers });
  const queue = new TaskQueue({ handlers, nodeId: identity.node_id, clock: systemClock });
  const peers = new PeerTable({ selfId: identity.node_id });
  const calls: string[] = [];
  const counting: typeof fetch = (input, init) => {
    calls.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  const options: DispatchOptions = {
    peers,
    local: { facts: () => localFacts(identity), queue },
    token: TEST_TOKEN,
    fetch: counting,
    clock: systemClock,
  };
  return { options, peers, queue, calls, [Symbol.asyncDispose]: () => queue.close() };
}

const inference = (id: string) => ({
  task_id: id,
  task_type: "inference" as const,
  payload: { prompt: "hi" },
});

Deno.test("dispatchTask(): a dead first peer → the second serves, 2 submissions in all", async () => {
  await using node = here();
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  const dead = {
    identity: testIdentity({ nodeId: "myco-00000000000d", ...GPU, handlers: {} }),
    port: deadPort(),
  };
  addPeer(node.peers, dead);
  addPeer(node.peers, b);
  const tokens: string[] = [];
  const out = await dispatchTask(inference("t1"), {
    ...node.options,
    onToken: (t) => tokens.push(t),
  });
  assert.equal(out.node.nodeId, b.nodeId);
  assert.deepEqual(out.result, { response: "hello", model: "m", tokens_per_second: 1 });
  assert.deepEqual(tokens.join(""), "hello");
  assert.deepEqual(out.attempts.map((a) => [a.nodeId, a.error === null]), [
    ["myco-00000000000d", false],
    [b.nodeId, true],
  ]);
  assert.match(out.attempts[0]!.error!, /^unreachable/);
  assert.equal(node.calls.filter((c) => c === "POST /task").length, 2);
  assert.equal(b.queue.get("t1")?.status, "completed");
});

Deno.test("dispatchTask(): a peer dying mid-task before any output → retried on the next", async () => {
  await using node = here();
  await using a = startTestNode({
    nodeId: "myco-00000000000e",
    ...GPU,
    handlers: { inference: hanging() },
  });
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  addPeer(node.peers, a);
  addPeer(node.peers, b);
  const accepted: string[] = [];
  const out = await dispatchTask(inference("t2"), {
    ...node.options,
    onAccepted: (peer) => {
      accepted.push(peer.nodeId);
      if (peer.nodeId === a.nodeId) setTimeout(() => a.kill(), 20);
    },
  });
  assert.deepEqual(accepted, [a.nodeId, b.nodeId]);
  assert.equal(out.node.nodeId, b.nodeId);
  assert.equal(out.attempts.length, 2);
  assert.match(out.attempts[0]!.error!, /unreachable|closed before the task ended/);
});

Deno.test("dispatchTask(): a peer dying after output → a clear error, the partial kept", async () => {
  await using node = here();
  await using a = startTestNode({
    nodeId: "myco-00000000000e",
    ...GPU,
    handlers: { inference: hanging("partial ") },
  });
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  addPeer(node.peers, a);
  addPeer(node.peers, b);
  const tokens: string[] = [];
  const error = await dispatchTask(inference("t3"), {
    ...node.options,
    onToken: (text) => {
      tokens.push(text);
      setTimeout(() => a.kill(), 10);
    },
  }).then(() => null, (e) => e);
  assert.ok(isMycoError(error, "node_lost"), String(error));
  assert.match(error.message, /^node host-000e \(myco-00000000000e\) vanished mid-answer/);
  assert.match(error.message, /the partial answer is kept$/);
  assert.deepEqual(tokens, ["partial "]);
  assert.deepEqual(b.requests, [], "the second peer was never asked");
});

Deno.test("dispatchTask(): no peer fits → this node runs it, degraded, and says so", async () => {
  await using node = here({ inference: talker });
  await using b = startTestNode({ nodeId: "myco-00000000000b", handlers: { ping: pingHandler } });
  addPeer(node.peers, b); // a light box without inference
  const notes: string[] = [];
  const out = await dispatchTask(inference("t4"), {
    ...node.options,
    onNote: (n) => notes.push(n),
  });
  assert.equal(out.node.nodeId, "myco-00000000000a");
  assert.equal(out.degraded, true);
  assert.deepEqual(notes, [DEGRADED_NOTE]);
  assert.equal(DEGRADED_NOTE, "no peer can take this; running here (degraded)");
  assert.equal(node.queue.get("t4")?.status, "completed");
  assert.deepEqual(node.calls, []);
});

Deno.test("dispatchTask(): three failures → swarm_unavailable naming each; a fourth is never tried", async () => {
  await using node = here();
  for (const [i, id] of ["myco-0000000000d1", "myco-0000000000d2", "myco-0000000000d3"].entries()) {
    const identity = testIdentity({ nodeId: id, ...GPU, vramMb: 24576 - i * 1000, handlers: {} });
    addPeer(node.peers, { identity, port: deadPort() });
  }
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  addPeer(node.peers, b);
  const error = await dispatchTask(inference("t5"), node.options).then(() => null, (e) => e);
  assert.ok(isMycoError(error, "swarm_unavailable"), String(error));
  assert.equal(error.httpStatus, 503);
  assert.match(
    error.message,
    /^No node could take the inference task: host-00d1 \(myco-0000000000d1\): unreachable/,
  );
  assert.match(error.message, /myco-0000000000d2.*myco-0000000000d3/);
  assert.equal(node.calls.length, 3);
  assert.deepEqual(b.requests, []);
});

Deno.test("dispatchTask(): a task that fails by itself is not retried", async () => {
  await using node = here();
  const failing: TaskHandler = { run: () => Promise.reject(new Error("the model fell over")) };
  await using a = startTestNode({
    nodeId: "myco-00000000000e",
    ...GPU,
    handlers: { inference: failing },
  });
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  addPeer(node.peers, a);
  addPeer(node.peers, b);
  const error = await dispatchTask(inference("t6"), node.options).then(() => null, (e) => e);
  assert.ok(error instanceof TaskFailedError);
  assert.equal(error.message, "the model fell over");
  assert.equal(error.nodeId, a.nodeId);
  assert.deepEqual(b.requests, []);
});

Deno.test("dispatchTask(): a full queue (503) moves on; a refusal (400) does not", async () => {
  await using node = here();
  const strict: TaskHandler = {
    validate: () => {
      throw createError("invalid_input", "payload.prompt is wrong");
    },
    run: () => Promise.resolve(null),
  };
  await using full = startTestNode({
    nodeId: "myco-00000000000f",
    ...GPU,
    handlers: { inference: hanging() },
    concurrency: 1,
    maxQueued: 1,
  });
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  for (let i = 0; i < 2; i++) full.queue.submit({ task_type: "inference", payload: {} }); // full
  addPeer(node.peers, full);
  addPeer(node.peers, b);
  const out = await dispatchTask({ ...inference("t7"), priority: 9 }, node.options);
  assert.equal(out.node.nodeId, b.nodeId);
  assert.match(out.attempts[0]!.error!, /^HTTP 503: Task queue full/);
  assert.equal(b.queue.get("t7")?.priority, 9, "the priority flows through");

  await using c = startTestNode({
    nodeId: "myco-00000000000c",
    ...GPU,
    handlers: { inference: strict },
  });
  const other = here();
  addPeer(other.peers, c);
  addPeer(other.peers, b);
  const refused = await dispatchTask(inference("t8"), other.options).then(() => null, (e) => e);
  await other[Symbol.asyncDispose]();
  assert.ok(refused instanceof TaskFailedError);
  assert.equal(refused.message, "payload.prompt is wrong");
  assert.deepEqual(refused.refusal, { status: 400, code: "invalid_input", field: null });
});

Deno.test("dispatchTask(): a peer the table declares dead mid-task is left for the next", async () => {
  await using node = here();
  await using a = startTestNode({
    nodeId: "myco-00000000000e",
    ...GPU,
    handlers: { inference: hanging() },
  });
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  addPeer(node.peers, a);
  addPeer(node.peers, b);
  const out = await dispatchTask(inference("t9"), {
    ...node.options,
    // The connection stays open (a host that lost power); three missed heartbeats end it.
    onAccepted: (peer) => {
      if (peer.nodeId !== a.nodeId) return;
      setTimeout(() => {
        for (let i = 0; i < 3; i++) node.peers.heartbeatFailed(a.nodeId, Date.now());
      }, 20);
    },
  });
  assert.equal(out.node.nodeId, b.nodeId);
  assert.deepEqual(out.attempts.map((x) => x.error), ["stopped answering", null]);
});

Deno.test("dispatchTask(): a peer that never answers the submission times out (injected timers)", async () => {
  await using node = here();
  // Accepts connections and never answers.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  const port = (silent.addr as Deno.NetAddr).port;
  addPeer(node.peers, {
    identity: testIdentity({ nodeId: "myco-0000000000e1", ...GPU, handlers: {} }),
    port,
  });
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...CPU,
    handlers: { inference: talker },
  });
  addPeer(node.peers, b);
  const due: { fn: () => void; ms: number }[] = [];
  const timers = {
    setTimeout: (fn: () => void, ms: number) => due.push({ fn, ms }),
    clearTimeout: () => {},
  };
  const running = dispatchTask(inference("t10"), { ...node.options, timers });
  while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(due.map((d) => d.ms), [10_000]);
  due[0]!.fn(); // ten seconds later
  const out = await running;
  assert.equal(out.node.nodeId, b.nodeId);
  assert.equal(out.attempts[0]!.error, "no answer to POST /task within 10 s");
  silent.close();
  for (const conn of held) conn.close();
  await accepting.catch(() => {});
});
