/**
 * Light nodes for the fan-out benchmark: each a real node API (Hono app on its own loopback
 * port) over its own task queue running one task at a time, with the web handlers. A
 * client runs tasks on them over HTTP, and a least-busy picker spreads tasks across them
 * the way the swarm's dispatcher does (in-flight tasks weigh most).
 */

import { createApp } from "../../lib/api/mod.ts";
import { systemClock, VERSION } from "../../lib/core/mod.ts";
import { PeerTable } from "../../lib/discovery/mod.ts";
import type { NodeIdentity } from "../../lib/node/mod.ts";
import { searchAll } from "../../lib/chat/mod.ts";
import { nodeRunTask, type RunTask, TaskQueue, webHandlers } from "../../lib/orchestrator/mod.ts";
import { searxngProvider } from "../../lib/web/mod.ts";

const TOKEN = "be".repeat(32);

/** A running light node. */
export interface LightNode extends AsyncDisposable {
  id: string;
  url: string;
  /** Runs a task on this node over its HTTP API. */
  runTask: RunTask;
}

function identity(id: string): NodeIdentity {
  return {
    node_id: id,
    hostname: id,
    version: VERSION,
    os: "linux",
    arch: "x86_64",
    node_tier: "light",
    tier_source: "override",
    gpu_tier: "none",
    capabilities: ["cpu_worker"],
    cpu_model: "bench",
    cpu_cores: 4,
    ram_total_mb: 4000,
    ram_available_mb: 3000,
    disk_free_mb: null,
    raspberry_pi: null,
    gpus: [],
    model_server: { url: "", kind: "unknown", reachable: false, version: null, error: null },
    models: [],
    notes: [],
    detected_at: new Date().toISOString(),
  };
}

/** Starts a light node whose web_search goes to the SearXNG at `searxngUrl`. */
export function startLightNode(id: string, searxngUrl: string): LightNode {
  const web = { providers: [searxngProvider({ url: searxngUrl })] };
  const queue = new TaskQueue({
    handlers: webHandlers({ fetch, web }),
    nodeId: id,
    clock: systemClock,
    concurrency: 1, // a Raspberry Pi-class node: one task at a time
  });
  const app = createApp({
    identity: () => identity(id),
    peers: new PeerTable({ selfId: id }),
    queue,
    token: TOKEN,
    clock: systemClock,
    version: VERSION,
    startedAt: Date.now(),
    load: () =>
      Promise.resolve({
        cpu: { load_1m: 0, load_5m: 0, load_15m: 0, cores: 4, usage_percent: 0 },
        ram: { total_mb: 4000, available_mb: 3000, used_mb: 1000 },
      }),
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    id,
    url,
    runTask: nodeRunTask(url, { fetch, token: TOKEN }),
    async [Symbol.asyncDispose]() {
      await queue.close();
      await server.shutdown();
    },
  };
}

/** Runs each task on the node with the fewest tasks in flight (the first on ties). */
export function leastBusy(nodes: readonly LightNode[]): RunTask {
  const inFlight = nodes.map(() => 0);
  return async (type, payload, options) => {
    const pick = inFlight.indexOf(Math.min(...inFlight));
    inFlight[pick]!++;
    try {
      return await nodes[pick]!.runTask(type, payload, options);
    } finally {
      inFlight[pick]!--;
    }
  };
}

/** Searches `queries` at once through `runTask`, as research does; throws if one fails. */
export async function fanOutSearches(queries: string[], runTask: RunTask): Promise<void> {
  const outcomes = await searchAll(queries, runTask);
  const failed = outcomes.find((o) => !o.ok);
  if (failed) throw new Error(`a search failed: ${(failed as { error: unknown }).error}`);
}
