/** `GET /health`, `/identity`, `/peers` and `/status`: who this node is and how it is doing. */

import { Hono } from "hono";
import type { PeerState } from "../discovery/mod.ts";
import type { HealthJson, MemoryJson, StatusJson } from "../orchestrator/mod.ts";
import { peerJson } from "./peer_json.ts";
import type { ApiDeps } from "./types.ts";

const STATES: readonly PeerState[] = ["alive", "suspect", "dead", "left"];

/** Seconds since the daemon started. */
function uptime(deps: ApiDeps): number {
  return Math.max(0, Math.floor((deps.clock.now() - deps.startedAt) / 1000));
}

/** Peers we may route to: alive or merely suspect. */
function reachable(deps: ApiDeps): number {
  return deps.peers.reachable().length;
}

/**
 * Whether the node's memory works, when it serves chat: `off` with the reason while memory
 * is still being opened, or could not be, or was found damaged.
 */
function memory(deps: ApiDeps): { memory?: MemoryJson } {
  if (deps.memory === undefined) return {};
  const status = deps.memory() ?? { state: "off", reason: "memory is being opened" };
  return { memory: { state: status.state, reason: status.reason } };
}

/** The node routes. */
export function nodeRoutes(deps: ApiDeps): Hono {
  const app = new Hono();

  // The one route without the token: liveness for peers and load balancers.
  app.get("/health", (c) => {
    const { node_id, hostname } = deps.identity();
    const health: HealthJson = {
      node_id,
      hostname,
      status: "ok",
      uptime_seconds: uptime(deps),
      peer_count: reachable(deps),
      version: deps.version,
      ...memory(deps),
    };
    return c.json(health);
  });

  app.get("/identity", (c) => c.json(deps.identity()));

  app.get("/peers", (c) => c.json(deps.peers.peers().map(peerJson)));

  app.get("/status", async (c) => {
    const peers = deps.peers.peers();
    const byState = Object.fromEntries(
      STATES.map((s) => [s, peers.filter((p) => p.state === s).length]),
    ) as Record<PeerState, number>;
    const rejected = deps.peers.rejected();
    const total = Object.values(rejected).reduce((sum, n) => sum + (n ?? 0), 0);
    const { cpu, ram } = await deps.load();
    const status: StatusJson = {
      ...deps.identity(),
      version: deps.version,
      uptime_seconds: uptime(deps),
      load: { tasks: deps.queue.stats(), cpu, ram },
      peers: { total: peers.length, ...byState },
      rejected_announcements: { total, by_reason: rejected },
      ...memory(deps),
    };
    return c.json(status);
  });

  return app;
}
