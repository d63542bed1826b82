/**
 * The node API's wire shapes, types only: what a node answers on `/health`, `/identity`,
 * `/peers`, `/status`, `POST /task`, `GET /task/:id` and its event stream. The server
 * (lib/api) builds exactly these; the clients — nodes relaying to peers (node_client.ts)
 * and the CLI talking to its daemon — read exactly these. Field names are the Python
 * mycoSwarm's where it had them.
 *
 * @module
 */

import type { PeerState, RejectionReason } from "../discovery/mod.ts";
import type { LoadInfo, NodeIdentity } from "../node/mod.ts";
import type { QueueStats } from "./task_queue.ts";
import type { TaskStatus, TaskType } from "./types.ts";

/** `GET /health`, the one route without the token: liveness for peers and load balancers. */
export interface HealthJson {
  node_id: string;
  hostname: string;
  status: "ok";
  uptime_seconds: number;
  /** Peers that can be routed to (alive or suspect). */
  peer_count: number;
  version: string;
}

/** `GET /identity`: the node as last detected. */
export type IdentityJson = NodeIdentity;

/** One peer of `GET /peers`. */
export interface PeerJson {
  node_id: string;
  hostname: string;
  ip: string | null;
  addresses: string[];
  port: number;
  state: PeerState;
  node_tier: string | null;
  gpu_tier: string | null;
  capabilities: string[];
  gpu_name: string | null;
  vram_total_mb: number | null;
  available_models: string[];
  version: string | null;
  /** ISO 8601. */
  last_seen: string;
  latency_ms: number | null;
  failures: number;
}

/** `GET /status`: the identity, with load, peers and refused announcements. */
export type StatusJson = NodeIdentity & {
  version: string;
  uptime_seconds: number;
  load: { tasks: QueueStats; cpu: LoadInfo["cpu"]; ram: LoadInfo["ram"] };
  peers: { total: number } & Record<PeerState, number>;
  rejected_announcements: {
    total: number;
    by_reason: Partial<Record<RejectionReason, number>>;
  };
};

/** `POST /task`'s answer (HTTP 202). */
export interface TaskAccepted {
  task_id: string;
  /** "pending" as in the Python API: accepted, not finished (it may already be running). */
  status: string;
  /** The node that runs the task. */
  node_id: string;
  /** Set when the node degraded or routed, e.g. "no peer can take this; running here (degraded)". */
  note?: string;
}

/** `GET /task/:id` and `DELETE /task/:id`. */
export interface TaskJson {
  task_id: string;
  task_type: TaskType;
  status: TaskStatus;
  result: unknown;
  error: string | null;
  /** Seconds it ran (so far, while running); null while it waits. */
  duration_seconds: number | null;
  /** The node that ran (or runs) it. */
  node_id: string;
}

/** One event of `GET /task/:id/stream`: output pieces, then a final one with `done: true`. */
export interface TaskStreamEvent {
  token?: string;
  done: boolean;
  error?: string;
  /** The task's result (inference too, with `include=result`). */
  result?: unknown;
  node_id?: string;
  model?: string | null;
  tokens_per_second?: number | null;
  duration_seconds?: number | null;
  /** On an error: the node is shutting down, so the task may be run elsewhere. */
  retryable?: boolean;
}
