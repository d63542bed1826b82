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
  /** The node's stable id. */
  node_id: string;
  /** The machine's name. */
  hostname: string;
  /** Always "ok": answering at all is the health signal. */
  status: "ok";
  /** Seconds since the daemon started. */
  uptime_seconds: number;
  /** Peers that can be routed to (alive or suspect). */
  peer_count: number;
  /** The mycoswarm version the node runs. */
  version: string;
  /** Whether the node's chat answers use memory; absent on a node without chat. */
  memory?: MemoryJson;
}

/** Whether a node's memory works: `off` with why (cannot open, damaged) and what to do. */
export interface MemoryJson {
  /** `ok`, or `off`: the `mycoswarm` model answers without memory. */
  state: "ok" | "off";
  /** Why memory is off and what to do; null when it is on. */
  reason: string | null;
}

/** `GET /identity`: the node as last detected. */
export type IdentityJson = NodeIdentity;

/** One peer of `GET /peers`. */
export interface PeerJson {
  /** The peer's stable id. */
  node_id: string;
  /** The peer's machine name. */
  hostname: string;
  /** Its first announced address, or null when it announced none. */
  ip: string | null;
  /** Every address it announced. */
  addresses: string[];
  /** The port of its node API. */
  port: number;
  /** Where it stands in the peer state machine. */
  state: PeerState;
  /** Its node tier (executive … edge), null when its record did not say. */
  node_tier: string | null;
  /** Its GPU's tier, null without a GPU or when its record did not say. */
  gpu_tier: string | null;
  /** What it can do, e.g. `gpu_inference`, `web_search`. */
  capabilities: string[];
  /** Its GPU's name, if it has one. */
  gpu_name: string | null;
  /** Its GPU's memory in MB, if it has one. */
  vram_total_mb: number | null;
  /** The model names it announced. */
  available_models: string[];
  /** The mycoswarm version it runs, if announced. */
  version: string | null;
  /** ISO 8601. */
  last_seen: string;
  /** Moving average of heartbeat round trips, ms; null before the first. */
  latency_ms: number | null;
  /** Heartbeats failed in a row. */
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
  memory?: MemoryJson;
};

/** `POST /task`'s answer (HTTP 202). */
export interface TaskAccepted {
  /** The id to poll or stream the task with. */
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
  /** The task's id. */
  task_id: string;
  /** What kind of task it is. */
  task_type: TaskType;
  /** Where it stands. */
  status: TaskStatus;
  /** The handler's result once completed, else null. */
  result: unknown;
  /** Why it failed, else null. */
  error: string | null;
  /** Seconds it ran (so far, while running); null while it waits. */
  duration_seconds: number | null;
  /** The node that ran (or runs) it. */
  node_id: string;
}

/** One event of `GET /task/:id/stream`: output pieces, then a final one with `done: true`. */
export interface TaskStreamEvent {
  /** A piece of output (inference tokens). */
  token?: string;
  /** True on the final event. */
  done: boolean;
  /** Why the task failed, on the final event. */
  error?: string;
  /** The task's result (inference too, with `include=result`). */
  result?: unknown;
  /** The node that ran the task, on the final event. */
  node_id?: string;
  /** The model that answered (inference), on the final event. */
  model?: string | null;
  /** Generation speed (inference), on the final event. */
  tokens_per_second?: number | null;
  /** Seconds the task ran, on the final event. */
  duration_seconds?: number | null;
  /** On an error: the node is shutting down, so the task may be run elsewhere. */
  retryable?: boolean;
}
