/**
 * `POST /task` on a routing node: relayed to the best peer, read back and streamed through
 * the node it was sent to; tasks from other nodes stay where they land.
 */

import assert from "node:assert/strict";
import { createError } from "../lib/core/mod.ts";
import {
  DEGRADED_NOTE,
  HOP_HEADER,
  pingHandler,
  type TaskHandler,
} from "../lib/orchestrator/mod.ts";
import { addPeer, startTestNode, TEST_TOKEN } from "./support/test_nodes.ts";

const GPU = { tier: "executive", caps: ["gpu_inference", "cpu_worker"], vramMb: 24576 };

function talker(name: string): TaskHandler {
  return {
    validate(payload) {
      if (payload.prompt === 42) throw createError("invalid_input", "payload.prompt must be text");
    },
    run(_payload, ctx) {
      ctx.emit("hel");
      ctx.emit("lo");
      return Promise.resolve({ response: "hello", model: name, tokens_per_second: 1 });
    },
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/task`, {
    method: "POST",
    headers: { "x-swarm-token": TEST_TOKEN, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function get(url: string, path: string) {
  const response = await fetch(`${url}${path}`, { headers: { "x-swarm-token": TEST_TOKEN } });
  return path.endsWith("/stream") ? await response.text() : await response.json();
}

function events(sse: string): Record<string, unknown>[] {
  return sse.split("\n\n").filter((b) => b.trim()).map((b) => JSON.parse(b.slice(6)));
}

Deno.test("POST /task on a light node relays inference to the GPU peer; GET and stream follow it", async () => {
  await using gpu = startTestNode({
    nodeId: "myco-000000000009",
    ...GPU,
    handlers: { inference: talker("big") },
  });
  await using light = startTestNode({
    nodeId: "myco-000000000001",
    handlers: { ping: pingHandler, inference: talker("small") },
    router: true,
  });
  addPeer(light.peers, gpu);
  const accepted = await post(light.url, {
    task_id: "r1",
    task_type: "inference",
    payload: { prompt: "hi" },
    priority: 8,
  });
  assert.equal(accepted.status, 202);
  assert.deepEqual(accepted.body, { task_id: "r1", status: "pending", node_id: gpu.nodeId });
  const stream = events(await get(light.url, "/task/r1/stream"));
  assert.deepEqual(stream.slice(0, -1).map((e) => e.token).join(""), "hello");
  assert.equal(stream.at(-1)!.node_id, gpu.nodeId);
  assert.equal(stream.at(-1)!.model, "big");
  const record = await get(light.url, "/task/r1");
  assert.equal(record.status, "completed");
  assert.equal(record.node_id, gpu.nodeId);
  assert.deepEqual(record.result, { response: "hello", model: "big", tokens_per_second: 1 });
  assert.equal(gpu.queue.get("r1")?.priority, 8);
  assert.equal(light.queue.get("r1"), undefined, "nothing ran on the light node");
  // CPU work stays on the light node: it scores above an executive.
  const ping = await post(light.url, { task_type: "ping", payload: {} });
  assert.equal(ping.body.node_id, light.nodeId);
});

Deno.test("a task from another node (X-Mycoswarm-Hop) runs where it lands; two routers never bounce", async () => {
  await using a = startTestNode({
    nodeId: "myco-00000000000a",
    handlers: { inference: talker("a") },
    caps: ["cpu_worker", "cpu_inference"],
    router: true,
  });
  await using b = startTestNode({
    nodeId: "myco-00000000000b",
    ...GPU,
    handlers: { inference: talker("b") },
    router: true,
  });
  addPeer(a.peers, b);
  addPeer(b.peers, a);
  const hop = await post(a.url, { task_type: "inference", payload: { prompt: "x" } }, {
    [HOP_HEADER]: "1",
  });
  assert.equal(hop.body.node_id, a.nodeId, "a forwarded task is never forwarded again");
  const routed = await post(a.url, { task_id: "r2", task_type: "inference", payload: {} });
  assert.equal(routed.body.node_id, b.nodeId);
  await get(a.url, "/task/r2/stream");
  assert.equal(b.queue.get("r2")?.status, "completed", "b ran it itself");
  assert.equal(b.router!.relay.get("r2"), undefined, "b did not route it back");
  assert.deepEqual(b.requests.filter((r) => r === "POST /task"), ["POST /task"]);
});

Deno.test("POST /task: a peer's refusal keeps its status; no fitting node is 503; alone it is 400", async () => {
  await using gpu = startTestNode({
    nodeId: "myco-00000000000b",
    ...GPU,
    handlers: { inference: talker("b") },
  });
  await using light = startTestNode({
    nodeId: "myco-000000000001",
    handlers: { ping: pingHandler },
    router: true,
  });
  // Nobody in the swarm: the node's own answer, as before routing.
  const alone = await post(light.url, { task_type: "embedding", payload: { text: "x" } });
  assert.deepEqual([alone.status, alone.body.error.message], [
    400,
    "task_type 'embedding' is not run on this node",
  ]);
  addPeer(light.peers, gpu);
  const refused = await post(light.url, { task_type: "inference", payload: { prompt: 42 } });
  assert.deepEqual([refused.status, refused.body.error.message], [
    400,
    "payload.prompt must be text",
  ]);
  await using other = startTestNode({ nodeId: "myco-00000000000c", handlers: {} });
  const lonely = startTestNode({ nodeId: "myco-000000000002", handlers: {}, router: true });
  addPeer(lonely.peers, other);
  const none = await post(lonely.url, { task_type: "embedding", payload: { text: "x" } });
  await lonely[Symbol.asyncDispose]();
  assert.equal(none.status, 503);
  assert.equal(none.body.error.code, "swarm_unavailable");
  assert.match(
    none.body.error.message,
    /^No node can take the embedding task: host-0002 \(myco-000000000002\): does not run embedding; host-000c \(myco-00000000000c\): lacks gpu_inference or cpu_inference \(Start a daemon/,
  );
});

Deno.test("POST /task: no peer fits but this node runs the type → here, with the note", async () => {
  await using light = startTestNode({
    nodeId: "myco-000000000001",
    handlers: { inference: talker("here") },
    router: true,
  });
  const res = await post(light.url, { task_type: "inference", payload: { prompt: "x" } });
  assert.equal(res.status, 202);
  assert.equal(res.body.node_id, light.nodeId);
  assert.equal(res.body.note, DEGRADED_NOTE);
});

Deno.test("DELETE /task/:id on the relaying node stops the task on the peer that runs it", async () => {
  const stopped = Promise.withResolvers<string>();
  const endless: TaskHandler = {
    run(_payload, ctx) {
      ctx.emit("thinking");
      return new Promise((_, reject) => {
        ctx.signal.addEventListener("abort", () => {
          stopped.resolve(String((ctx.signal.reason as Error).message));
          reject(ctx.signal.reason);
        }, { once: true });
      });
    },
  };
  await using gpu = startTestNode({
    nodeId: "myco-000000000009",
    ...GPU,
    handlers: { inference: endless },
  });
  await using light = startTestNode({
    nodeId: "myco-000000000001",
    handlers: { inference: talker("small") },
    router: true,
  });
  addPeer(light.peers, gpu);
  const accepted = await post(light.url, { task_id: "long", task_type: "inference", payload: {} });
  assert.equal(accepted.body.node_id, gpu.nodeId);
  const cancel = async (url: string, id: string) => {
    const response = await fetch(`${url}/task/${id}`, {
      method: "DELETE",
      headers: { "x-swarm-token": TEST_TOKEN },
    });
    return { status: response.status, body: await response.json() };
  };
  const cancelled = await cancel(light.url, "long");
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.task_id, "long");
  assert.equal(await stopped.promise, "Cancelled by the client", "the peer's handler was stopped");
  const there = await get(gpu.url, "/task/long");
  assert.deepEqual([there.status, there.error], ["failed", "Cancelled by the client"]);
  const here = await get(light.url, "/task/long");
  assert.equal(here.status, "failed");
  assert.equal((await cancel(light.url, "nope")).status, 404);
});
