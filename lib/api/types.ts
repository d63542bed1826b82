/** What the node API needs from the node. */

import type { Context } from "hono";
import type { ChatService } from "../chat/mod.ts";
import type { Clock, Logger } from "../core/mod.ts";
import type { PeerTable } from "../discovery/mod.ts";
import type { LoadInfo, NodeIdentity } from "../node/mod.ts";
import type { TaskQueue, TaskRouter } from "../orchestrator/mod.ts";

/** The node API's dependencies. */
export interface ApiDeps {
  /** This node as last detected (cached; the daemon refreshes it). */
  identity: () => NodeIdentity;
  peers: PeerTable;
  queue: TaskQueue;
  /**
   * Routes tasks from clients to the best node (tasks from other nodes, marked with
   * `X-Mycoswarm-Hop`, always run here). Without one, every task runs here.
   */
  router?: TaskRouter;
  /** The swarm token: it opens every route. */
  token: string;
  /**
   * The client keys (`mycoswarm apikey create`), by SHA-256: each opens the client routes
   * (`/`, `/api/…`, `/v1/…`), never the node routes. Called on each request with
   * credentials, so it should be cheap (the daemon's re-reads the file at most once a second).
   * @default no client keys
   */
  clientKeys?: () => Promise<readonly { name: string; sha256: string }[]>;
  /**
   * CIDR networks (`192.168.1.0/24`, `fd00::/8`) whose hosts may call the client routes with no
   * credentials (`[api] trusted_networks`). @default []
   */
  trustedNetworks?: readonly string[];
  /** Browser origins allowed to call the client routes (`[api] cors_origins`). @default [] */
  corsOrigins?: readonly string[];
  /**
   * The caller's IP address, or null when unknown (then no network is trusted).
   * @default the socket's remote address from Hono's connection info (`Deno.serve`)
   */
  remoteAddress?: (c: Context) => string | null;
  clock: Clock;
  version: string;
  /** When the daemon started, ms since the epoch. */
  startedAt: number;
  /** The machine's current load. */
  load: () => Promise<LoadInfo>;
  /** Where unexpected errors are reported. */
  logger?: Logger;
  /** Largest request body accepted. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Retry-After sent with 503 when the queue is full. @default 5 */
  retryAfterSeconds?: number;
  /**
   * The conversation service behind `/v1/chat/completions` and `/v1/sessions`: the whole
   * pipeline (intent, memory, recall, web, reflection). Null while it starts; absent on a
   * node that serves no chat.
   */
  chat?: () => ChatService | null;
}
