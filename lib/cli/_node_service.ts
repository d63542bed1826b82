/** Builds a running node from the config: identity, token, queue, peer table and the API app. */

import type { Hono } from "hono";
import { type ChatApi, createApp } from "../api/mod.ts";
import type { Config } from "../config/mod.ts";
import { type Logger, VERSION } from "../core/mod.ts";
import { PeerTable } from "../discovery/mod.ts";
import { detectNode, ensureSwarmToken, readLoadInfo } from "../node/mod.ts";
import {
  createHandlers,
  localFacts,
  TaskQueue,
  TaskRouter,
  webHandlerOptions,
} from "../orchestrator/mod.ts";
import { IdentityCache } from "./_identity_cache.ts";
import { modelClientFor, probeIoFor } from "./_setup.ts";
import type { CliContext } from "./context.ts";

/** Everything the daemon runs, with one `close()`. */
export interface NodeService {
  app: Hono;
  identity: IdentityCache;
  peers: PeerTable;
  queue: TaskQueue;
  router: TaskRouter;
  token: { path: string; created: boolean; value: string };
  /**
   * Puts `chat` behind the chat routes; null takes it away (they answer 503 while the
   * daemon starts or stops).
   */
  serveChat(chat: ChatApi | null): void;
  /** Stops the identity refresh and closes the queue (aborting running tasks). Idempotent. */
  close(): Promise<void>;
}

/** Detects the node, makes sure it has a swarm token, and wires the node API. */
export async function startNodeService(
  config: Config,
  ctx: CliContext,
  logger: Logger,
): Promise<NodeService> {
  const startedAt = ctx.clock.now();
  const detect = () =>
    detectNode({ config, probeIo: probeIoFor(ctx), fetch: ctx.fetch, clock: ctx.clock, logger });
  const client = modelClientFor(config, ctx);
  const [first, token] = await Promise.all([
    detect(),
    ensureSwarmToken(config.paths.swarmTokenFile, { logger }),
  ]);
  const identity = new IdentityCache(first, () => {
    client.refresh(); // models pulled or removed since show up in tasks too
    return detect();
  }, logger);
  const peers = new PeerTable({ selfId: first.node_id, logger });
  const queue = new TaskQueue({
    handlers: createHandlers({
      client,
      fetch: ctx.fetch,
      clock: ctx.clock,
      web: webHandlerOptions(config, { fetch: ctx.fetch, logger }),
    }),
    nodeId: first.node_id,
    clock: ctx.clock,
    logger,
  });
  const router = new TaskRouter({
    peers,
    local: { facts: () => localFacts(identity.current()), queue },
    token: token.token,
    fetch: ctx.fetch,
    clock: ctx.clock,
    logger,
  });
  let chat: ChatApi | null = null;
  const app = createApp({
    chat: () => chat,
    identity: identity.current,
    peers,
    queue,
    router,
    token: token.token,
    clock: ctx.clock,
    version: VERSION,
    startedAt,
    logger,
    load: () =>
      readLoadInfo({
        readTextFile: ctx.readTextFile,
        cores: ctx.system.cpuCount,
        loadavg: () => Deno.loadavg(),
        memory: () => Deno.systemMemoryInfo(),
      }),
  });
  let closed: Promise<void> | null = null;
  return {
    app,
    identity,
    peers,
    queue,
    router,
    token: { path: config.paths.swarmTokenFile, created: token.created, value: token.token },
    serveChat(service) {
      chat = service;
    },
    close() {
      closed ??= (identity.stop(), Promise.all([router.close(), queue.close()]).then(() => {}));
      return closed;
    },
  };
}
