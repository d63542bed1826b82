/** What the node API needs from the node. */

import type { ChatService, MemoryStatus } from "../chat/mod.ts";
import type { Clock, Logger } from "../core/mod.ts";
import type { PeerTable } from "../discovery/mod.ts";
import type { LoadInfo, NodeIdentity } from "../node/mod.ts";
import type { ModelRouter, TaskQueue, TaskRouter } from "../orchestrator/mod.ts";

/** The node API's dependencies. */
export interface ApiDeps {
  /** This node as last detected (cached; the daemon refreshes it). */
  identity: () => NodeIdentity;
  /** The peers `/peers` and `/status` list and the router picks from. */
  peers: PeerTable;
  /** This node's queue: tasks run here, and `/task` polls and streams. */
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
  remoteAddress?: (request: { req: { raw: Request } }) => string | null;
  /** Dates tasks and measures uptime. */
  clock: Clock;
  /** The mycoswarm version `/health` and `/status` report. */
  version: string;
  /** When the daemon started, ms since the epoch. */
  startedAt: number;
  /** The machine's current load. */
  load: () => Promise<LoadInfo>;
  /** Where unexpected errors are reported. */
  logger?: Logger;
  /** Largest request body accepted. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /**
   * Largest body of the Ollama and OpenAI routes: their requests carry base64 images and
   * long entity prompts. @default 33554432 (32 MiB)
   */
  maxClientBodyBytes?: number;
  /**
   * Retry-After sent with a 503 (a full queue, no node free) and a 429 (a session with too
   * many requests waiting). @default 5
   */
  retryAfterSeconds?: number;
  /**
   * The conversation service behind `/v1/chat/completions` and `/v1/sessions`: the whole
   * pipeline (intent, memory, recall, web, reflection). Null while it starts; absent on a
   * node that serves no chat.
   */
  chat?: () => ChatService | null;
  /**
   * Whether the chat service's answers use memory, for `/health`, `/status` and the
   * `mycoswarm` model's answers; null while memory is being opened.
   * @default no memory field
   */
  memory?: () => MemoryStatus | null;
  /**
   * Routes requests that name a model (the drop-in Ollama and OpenAI routes) to a node that
   * has it; absent on a node that passes nothing through.
   */
  models?: ModelRouter;
  /** `[api] pull_node`: the node (id or hostname) `/api/pull` downloads to. @default the one with most VRAM */
  pullNode?: string | null;
}

/**
 * The node API as callers use it: the Hono app {@linkcode createApp} builds, narrowed to what
 * serving and testing need so Hono's types stay out of the public API.
 */
export interface NodeApp {
  /** Answers one request; the handler `Deno.serve` is given. */
  fetch: (request: Request) => Response | Promise<Response>;
  /** Answers a request for a path or URL without a socket, as tests do. */
  request: (input: string | URL | Request, init?: RequestInit) => Response | Promise<Response>;
}
