import assert from "node:assert/strict";
import { announce, send, T0, testApi } from "../../testing/test_api.ts";

Deno.test("GET /health gives node_id, hostname, status, uptime, peer_count, version", async () => {
  await using api = testApi();
  announce(api.peers, "myco-bbbbbbbbbbbb", T0);
  announce(api.peers, "myco-cccccccccccc", T0);
  api.peers.heartbeatFailed("myco-cccccccccccc", T0);
  api.peers.heartbeatFailed("myco-cccccccccccc", T0);
  api.peers.heartbeatFailed("myco-cccccccccccc", T0);
  api.clock.time = T0 + 61_500;
  const res = await send(api.app, "/health", { token: null });
  assert.deepEqual(await res.json(), {
    node_id: "myco-aaaaaaaaaaaa",
    hostname: "box",
    status: "ok",
    uptime_seconds: 61,
    peer_count: 1,
    version: "0.1.0",
  });
});

Deno.test("GET /identity gives detect's object", async () => {
  await using api = testApi();
  const body = await (await send(api.app, "/identity")).json();
  assert.equal(body.node_tier, "light");
  assert.deepEqual(body.capabilities, ["cpu_worker"]);
});

Deno.test("GET /peers lists peers with tier, capabilities, models and state", async () => {
  await using api = testApi();
  assert.deepEqual(await (await send(api.app, "/peers")).json(), []);
  announce(api.peers, "myco-bbbbbbbbbbbb", T0);
  const [peer] = await (await send(api.app, "/peers")).json();
  assert.equal(peer.node_id, "myco-bbbbbbbbbbbb");
  assert.equal(peer.ip, "10.0.0.2");
  assert.equal(peer.state, "alive");
  assert.equal(peer.node_tier, "executive");
  assert.deepEqual(peer.capabilities, ["gpu_inference"]);
  assert.deepEqual(peer.available_models, ["llama3.1:8b"]);
  assert.equal(peer.gpu_name, "RTX 3090");
  assert.equal(peer.vram_total_mb, 24576);
  assert.equal(peer.last_seen, new Date(T0).toISOString());
});

Deno.test("GET /status gives identity, load, tasks, peers by state, rejected announcements", async () => {
  await using api = testApi();
  announce(api.peers, "myco-bbbbbbbbbbbb", T0);
  announce(api.peers, "myco-cccccccccccc", T0);
  api.peers.heartbeatFailed("myco-cccccccccccc", T0);
  api.peers.recordRejected("bad_signature");
  api.peers.recordRejected("bad_signature");
  api.peers.recordRejected("stale");
  const body = await (await send(api.app, "/status")).json();
  assert.equal(body.node_id, "myco-aaaaaaaaaaaa");
  assert.equal(body.cpu_cores, 4);
  assert.deepEqual(body.load.tasks, {
    queued: 0,
    active: 0,
    completed: 0,
    failed: 0,
    max_queued: 100,
    concurrency: 2,
  });
  assert.equal(body.load.cpu.load_1m, 0.5);
  assert.equal(body.load.ram.used_mb, 2000);
  assert.deepEqual(body.peers, { total: 2, alive: 1, suspect: 1, dead: 0, left: 0 });
  assert.deepEqual(body.rejected_announcements, {
    total: 3,
    by_reason: { bad_signature: 2, stale: 1 },
  });
});
