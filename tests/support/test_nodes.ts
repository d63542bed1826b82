/**
 * In-process swarm nodes for routing tests and the routing benchmark: each is the real node
 * API (`createApp`) over a real `TaskQueue`, served on a loopback port, with the handlers
 * the test gives. Clients reach it through a TCP relay, so `kill()` can close every open
 * connection mid-response and stop listening: a node killed -9, as its peers see it.
 *
 * @module
 */

import { createApp } from "../../lib/api/mod.ts";
import { type Clock, systemClock } from "../../lib/core/mod.ts";
import { buildTxt, PeerTable } from "../../lib/discovery/mod.ts";
import type { NodeIdentity } from "../../lib/node/mod.ts";
import {
  localFacts,
  type LocalNode,
  type TaskHandlers,
  TaskQueue,
  TaskRouter,
} from "../../lib/orchestrator/mod.ts";

/** The swarm token of these tests. */
export const TEST_TOKEN = "5a".repeat(32);

/** What a test node is. */
export interface TestNodeOptions {
  /** `myco-` + 12 hex. */
  nodeId: string;
  /** @default "light" */
  tier?: string;
  /** @default ["cpu_worker"] */
  caps?: string[];
  vramMb?: number;
  models?: string[];
  handlers: TaskHandlers;
  /** Route client tasks to peers (a `TaskRouter`). @default false */
  router?: boolean;
  /** @default 2 */
  concurrency?: number;
  maxQueued?: number;
  clock?: Clock;
}

/** A running test node. */
export interface TestNode extends AsyncDisposable {
  nodeId: string;
  url: string;
  port: number;
  identity: NodeIdentity;
  queue: TaskQueue;
  peers: PeerTable;
  router: TaskRouter | null;
  local: LocalNode;
  /** Requests received, as "METHOD /path". */
  requests: string[];
  /** Dies: open connections are closed mid-response, the port closes, the queue stops. */
  kill(): Promise<void>;
}

/** A node identity for tests. */
export function testIdentity(options: TestNodeOptions): NodeIdentity {
  const vram = options.vramMb ?? 0;
  return {
    node_id: options.nodeId,
    hostname: `host-${options.nodeId.slice(-4)}`,
    version: "0.1.0",
    os: "linux",
    arch: "x86_64",
    node_tier: (options.tier ?? "light") as NodeIdentity["node_tier"],
    tier_source: "override",
    gpu_tier: vram > 0 ? "ultra" : "none",
    capabilities: (options.caps ?? ["cpu_worker"]) as NodeIdentity["capabilities"],
    cpu_model: "Test CPU",
    cpu_cores: 4,
    ram_total_mb: 8000,
    ram_available_mb: 6000,
    disk_free_mb: 10000,
    raspberry_pi: null,
    gpus: vram > 0
      ? [{ name: "Test GPU", vendor: "nvidia", vram_total_mb: vram, vram_free_mb: vram }]
      : [],
    model_server: { url: "http://x", kind: "ollama", reachable: true, version: null, error: null },
    models: (options.models ?? []).map((name) => ({ name, role: "available", roles: [] })),
    notes: [],
    detected_at: new Date(0).toISOString(),
  };
}

/** Starts a node on a free loopback port. */
export function startTestNode(options: TestNodeOptions): TestNode {
  const clock = options.clock ?? systemClock;
  const identity = testIdentity(options);
  const peers = new PeerTable({ selfId: options.nodeId });
  const queue = new TaskQueue({
    handlers: options.handlers,
    nodeId: options.nodeId,
    clock,
    concurrency: options.concurrency ?? 2,
    ...(options.maxQueued === undefined ? {} : { maxQueued: options.maxQueued }),
  });
  const local: LocalNode = { facts: () => localFacts(identity), queue };
  const router = options.router
    ? new TaskRouter({ peers, local, token: TEST_TOKEN, fetch, clock })
    : null;
  const app = createApp({
    identity: () => identity,
    peers,
    queue,
    ...(router ? { router } : {}),
    token: TEST_TOKEN,
    clock,
    version: "0.1.0",
    startedAt: clock.now(),
    load: () =>
      Promise.resolve({
        cpu: { load_1m: 0, load_5m: 0, load_15m: 0, cores: 4, usage_percent: 0 },
        ram: { total_mb: 8000, available_mb: 6000, used_mb: 2000 },
      }),
  });
  const requests: string[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    requests.push(`${req.method} ${new URL(req.url).pathname}`);
    return app.fetch(req);
  });
  const proxy = tcpProxy(server.addr.port);
  let stopped: Promise<void> | null = null;
  const stop = (abrupt: boolean) => {
    stopped ??= (async () => {
      if (abrupt) proxy.cut();
      await Promise.all([router?.close(), queue.close()]);
      await server.shutdown();
      proxy.cut();
      await proxy.closed;
    })();
    return stopped;
  };
  const port = proxy.port;
  return {
    nodeId: options.nodeId,
    url: `http://127.0.0.1:${port}`,
    port,
    identity,
    queue,
    peers,
    router,
    local,
    requests,
    kill: () => stop(true),
    [Symbol.asyncDispose]: () => stop(false),
  };
}

/** Puts `node` into `table` as an alive peer, as a verified announcement would. */
export function addPeer(
  table: PeerTable,
  node: { identity: NodeIdentity; port: number },
  now = Date.now(),
): void {
  const { identity } = node;
  const txt = buildTxt({
    nodeId: identity.node_id,
    tier: identity.node_tier,
    gpuTier: identity.gpu_tier,
    caps: identity.capabilities,
    gpu: identity.gpus[0]?.name ?? "none",
    vramMb: identity.gpus[0]?.vram_total_mb ?? 0,
    models: identity.models.map((m) => m.name),
    version: identity.version,
    apiPort: node.port,
  }, { now });
  table.observe({
    instance: `${identity.node_id}._mycoswarm._tcp.local`,
    nodeId: identity.node_id,
    hostname: identity.hostname,
    addresses: ["127.0.0.1"],
    port: node.port,
    txt,
    ttl: 120,
    expiresAt: now + 120_000,
    goodbye: false,
  }, now);
}

/** A loopback port nothing listens on (bound, then released). */
export function deadPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A TCP relay to `target` whose connections can all be cut at once. */
function tcpProxy(target: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const close = (conn: Deno.Conn) => {
    conns.delete(conn);
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  const closed = (async () => {
    for await (const inbound of listener) {
      const outbound = await Deno.connect({ hostname: "127.0.0.1", port: target }).catch(() =>
        null
      );
      if (outbound === null) {
        close(inbound);
        continue;
      }
      conns.add(inbound).add(outbound);
      const pipes = [
        inbound.readable.pipeTo(outbound.writable),
        outbound.readable.pipeTo(inbound.writable),
      ];
      Promise.allSettled(pipes).then(() => [inbound, outbound].forEach(close));
    }
  })().catch(() => {});
  let cut = false;
  return {
    port: (listener.addr as Deno.NetAddr).port,
    closed,
    cut() {
      if (!cut) {
        cut = true;
        listener.close();
      }
      for (const conn of [...conns]) close(conn);
    },
  };
}
