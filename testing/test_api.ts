/**
 * Test fixtures of the node API: a node, a peer table, a queue and a request helper.
 *
 * @module
 */

import { type ApiDeps, createApp, type NodeApp } from "../lib/api/mod.ts";
import { buildTxt, PeerTable } from "../lib/discovery/mod.ts";
import type { LoadInfo, NodeIdentity } from "../lib/node/mod.ts";
import { TaskQueue, type TaskQueueOptions } from "../lib/orchestrator/mod.ts";
import { ManualTime } from "./time.ts";

/** The swarm token of the tests. */
export const TOKEN = "ab".repeat(32);
/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);

/** A node as detect describes it. */
export function testIdentity(): NodeIdentity {
  return {
    node_id: "myco-aaaaaaaaaaaa",
    hostname: "box",
    version: "0.1.0",
    os: "linux",
    arch: "x86_64",
    node_tier: "light",
    tier_source: "detected",
    gpu_tier: "none",
    capabilities: ["cpu_worker"],
    cpu_model: "Test CPU",
    cpu_cores: 4,
    ram_total_mb: 8000,
    ram_available_mb: 6000,
    disk_free_mb: 1000,
    raspberry_pi: null,
    gpus: [],
    model_server: { url: "http://x", kind: "ollama", reachable: true, version: null, error: null },
    models: [],
    notes: [],
    detected_at: new Date(T0).toISOString(),
  };
}

/** What `/status` reports as load. */
export const TEST_LOAD: LoadInfo = {
  cpu: { load_1m: 0.5, load_5m: 0.4, load_15m: 0.3, cores: 4, usage_percent: 13 },
  ram: { total_mb: 8000, available_mb: 6000, used_mb: 2000 },
};

/** A peer announcement for the table. */
export function announce(peers: PeerTable, nodeId: string, now: number): void {
  const txt = buildTxt({
    nodeId,
    tier: "executive",
    gpuTier: "high",
    caps: ["gpu_inference"],
    gpu: "RTX 3090",
    vramMb: 24576,
    models: ["llama3.1:8b"],
    version: "0.1.0",
    apiPort: 7890,
  }, { now });
  peers.observe({
    instance: `${nodeId}._mycoswarm._tcp.local`,
    nodeId,
    hostname: "gpu-box",
    addresses: ["10.0.0.2"],
    port: 7890,
    txt,
    ttl: 120,
    expiresAt: now + 120_000,
    goodbye: false,
  }, now);
}

/** A node API over a real queue; dispose it to close the queue. */
export function testApi(
  options: { queue?: Partial<TaskQueueOptions>; api?: Partial<ApiDeps> } = {},
) {
  const clock = new ManualTime(T0);
  const peers = new PeerTable({ selfId: "myco-aaaaaaaaaaaa" });
  const queue = new TaskQueue({
    handlers: { ping: { run: (payload) => Promise.resolve({ echo: payload, message: "pong" }) } },
    nodeId: "myco-aaaaaaaaaaaa",
    clock,
    ...options.queue,
  });
  const deps: ApiDeps = {
    identity: testIdentity,
    peers,
    queue,
    token: TOKEN,
    clock,
    version: "0.1.0",
    startedAt: T0,
    load: () => Promise.resolve(TEST_LOAD),
    ...options.api,
  };
  const app = createApp(deps);
  return { app, deps, clock, peers, queue, [Symbol.asyncDispose]: () => queue.close() };
}

/** Sends a request with the token (unless `token: null`). */
export function send(
  app: NodeApp,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; bearer?: boolean } = {},
): Promise<Response> {
  const headers = new Headers();
  const token = init.token === undefined ? TOKEN : init.token;
  if (token !== null) {
    if (init.bearer) headers.set("Authorization", `Bearer ${token}`);
    else headers.set("X-Swarm-Token", token);
  }
  const body = init.body === undefined
    ? undefined
    : typeof init.body === "string"
    ? init.body
    : JSON.stringify(init.body);
  if (body !== undefined) headers.set("Content-Type", "application/json");
  return Promise.resolve(app.request(path, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    ...(body === undefined ? {} : { body }),
  }));
}
