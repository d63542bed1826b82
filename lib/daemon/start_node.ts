/**
 * A running node, assembled: identity, swarm token, task queue, router, peer table, the
 * node API on its socket, discovery, the chat service over this node's memory, and the
 * timers that keep them fresh. {@linkcode startNode} builds it; `close()` takes it down in
 * the order that loses nothing.
 *
 * The node's own chat answers through its router in process: its inference goes to the node
 * of the swarm that fits, its web searches to idle light nodes, as a client's tasks do,
 * without a round trip through its own HTTP API.
 *
 * @module
 */

import { createApp, type NodeApp, peerJson } from "../api/mod.ts";
import {
  type ChatService,
  Conversations,
  type MemoryStatus,
  openTurnContext,
  TranscriptStore,
} from "../chat/mod.ts";
import type { Config } from "../config/mod.ts";
import { createError, type Deps, VERSION } from "../core/mod.ts";
import { type DiscoveryService, PeerTable } from "../discovery/mod.ts";
import { forwardToServer, ModelClient } from "../llm/mod.ts";
import { ApiKeyWatcher, detectNode, ensureSwarmToken, readLoadInfo } from "../node/mod.ts";
import {
  createHandlers,
  localFacts,
  ModelRouter,
  SwarmModelClient,
  swarmModelList,
  TaskQueue,
  TaskRouter,
  webHandlerOptions,
} from "../orchestrator/mod.ts";
import { type DaemonConfig, daemonConfig } from "./daemon_config.ts";
import type { GuardedServeInfo, GuardedServeOptions } from "./guarded_serve.ts";
import { IdentityCache } from "./identity_cache.ts";
import { MemoryWatch } from "./memory_watch.ts";
import { startDiscovery } from "./node_discovery.ts";

/**
 * A socket server for the node API: `Deno.serve`'s shape, plus the limits
 * {@linkcode guardedServe} enforces (`Deno.serve` ignores them); injectable for tests.
 */
export type Serve = (
  options: GuardedServeOptions,
  handler: (request: Request, info: GuardedServeInfo) => Response | Promise<Response>,
) => { addr: { hostname: string; port: number }; shutdown(): Promise<void> };

/** Where and how the node listens. */
export interface StartNodeOptions {
  /** Port of the node API; 0 picks a free one. */
  port: number;
  /** Address of the node API: 0.0.0.0 for every interface, 127.0.0.1 for this machine. */
  bind: string;
  /** Serves the node API; the daemon command passes {@linkcode guardedServe}. */
  serve: Serve;
  /** Announce and browse over mDNS; false keeps to static peers. @default config.daemon.mdns */
  mdns?: boolean;
  /** Timings to change. @default daemonConfig(config) */
  timings?: Partial<DaemonConfig>;
}

/** A running node. */
export interface RunningNode {
  /** The node API as bound, e.g. `http://0.0.0.0:7890`. */
  url: string;
  /** The node API as commands on this machine reach it, e.g. `http://127.0.0.1:7890`. */
  localUrl: string;
  /** The node API itself, for calls in process that need no socket. */
  app: NodeApp;
  /** This node's identity, detected again on a timer. */
  identity: IdentityCache;
  /** The peers discovery found. */
  peers: PeerTable;
  /** The tasks that run on this node. */
  queue: TaskQueue;
  /** Routes this node's own and its clients' tasks to the node that fits. */
  router: TaskRouter;
  /** The swarm token: its file, whether this start created it, and its value. */
  token: { path: string; created: boolean; value: string };
  /**
   * Stops the node, in the order that loses nothing: chat requests are refused and open
   * sessions reflected on while the swarm is still there to answer; peers hear the goodbye
   * at once; the socket stops accepting, running tasks fail, and open requests get
   * `shutdownGraceMs` to finish. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Detects the node, makes sure it has a swarm token, serves the node API, opens memory for
 * the chat API, and starts discovery and the refresh timers.
 *
 * @throws MycoError `internal` when the node API cannot listen (the port is taken, say);
 *   nothing is left running
 */
export async function startNode(
  config: Config,
  deps: Deps,
  options: StartNodeOptions,
): Promise<RunningNode> {
  const timings = daemonConfig(config, options.timings);
  const { clock, logger } = deps;
  const startedAt = clock.now();
  const client = new ModelClient(config.llm, deps.fetch);
  const [first, token] = await Promise.all([
    detectNode(config, deps),
    ensureSwarmToken(config.paths.swarmTokenFile, { logger }),
  ]);
  const identity = new IdentityCache(first, () => {
    client.refresh(); // models pulled or removed since show up in tasks too
    return detectNode(config, deps);
  }, { logger, timers: deps.timers });
  const peers = new PeerTable({ selfId: first.node_id, logger });
  // web_fetch never reads this node's own API: the port it listens on, known once listening
  // (--port, or 0 for a free one); until then the one asked for.
  let apiPort = options.port === 0 ? config.daemon.port : options.port;
  const web = webHandlerOptions(config, { fetch: deps.fetch, logger });
  web.page = { ...web.page, ownApiPort: () => apiPort };
  const queue = new TaskQueue({
    handlers: createHandlers({ client, fetch: deps.fetch, clock, web }),
    nodeId: first.node_id,
    clock,
    timers: deps.timers,
    newId: deps.newId,
    logger,
  });
  const router = new TaskRouter({
    peers,
    local: { facts: () => localFacts(identity.current()), queue },
    token: token.token,
    fetch: deps.fetch,
    clock,
    timers: deps.timers,
    newId: deps.newId,
    logger,
  });
  // Requests that name a model go, unchanged, to a node that has it: here, this node's server.
  const models = new ModelRouter({
    peers,
    local: {
      facts: () => localFacts(identity.current()),
      serve: async (path, request) =>
        forwardToServer((await client.listing()).server, path, request, deps.fetch),
    },
    token: token.token,
    fetch: deps.fetch,
    clock,
    inFlight: router.inFlight,
    logger,
  });
  let chat: ChatService | null = null; // null: the chat routes answer 503 (starting, stopping)
  let memory: (() => MemoryStatus) | null = null; // null until memory is opened
  const apiKeys = new ApiKeyWatcher(config.paths.apiKeysFile, { clock, logger });
  const app = createApp({
    chat: () => chat,
    memory: () => memory?.() ?? null,
    models,
    identity: identity.current,
    peers,
    queue,
    router,
    token: token.token,
    // Client keys and networks open the Ollama/OpenAI routes; a revoked key is refused within ~1 s.
    clientKeys: apiKeys.keys.bind(apiKeys),
    trustedNetworks: config.api.trustedNetworks,
    corsOrigins: config.api.corsOrigins,
    pullNode: config.api.pullNode,
    clock,
    version: VERSION,
    startedAt,
    logger,
    load: () =>
      readLoadInfo({
        readTextFile: deps.readTextFile,
        cores: deps.system.cpuCount,
        loadavg: () => Deno.loadavg(),
        memory: () => Deno.systemMemoryInfo(),
      }),
  });
  const stopTasks = () => {
    identity.stop();
    return Promise.all([router.close(), queue.close()]);
  };

  let server: ReturnType<Serve>;
  try {
    server = options.serve(
      {
        port: options.port,
        hostname: options.bind,
        onListen() {},
        headerTimeoutMs: timings.headerTimeoutMs,
        idleTimeoutMs: timings.idleTimeoutMs,
        maxConnections: timings.maxConnections,
        logger,
      },
      app.fetch,
    );
  } catch (error) {
    await stopTasks();
    throw createError("internal", listenError(error, options.bind, options.port), {
      cause: error,
    });
  }
  const { hostname, port } = server.addr;
  apiPort = port;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const everywhere = options.bind === "0.0.0.0" || options.bind === "::";
  const localUrl = `http://${everywhere ? "127.0.0.1" : host}:${port}`;
  // Commands on this machine (swarm, ping, ask, ...) find the daemon here, whatever its port.
  await Deno.writeTextFile(config.paths.daemonUrlFile, `${localUrl}\n`)
    .catch((error) => logger.warn(`could not write ${config.paths.daemonUrlFile}: ${error}`));

  const swarmClient = new SwarmModelClient(config.llm, deps.fetch, {
    runTask: router.runTask,
    models: () =>
      Promise.resolve(swarmModelList(identity.current(), peers.reachable().map(peerJson))),
    clock,
    onNote: (note) => logger.info(note),
    modelsTtlMs: timings.swarmModelsTtlMs,
    answerTimeoutSeconds: timings.answerTimeoutSeconds,
  });
  let turns: Awaited<ReturnType<typeof openTurnContext>>;
  try {
    turns = await openTurnContext(config, swarmClient, {
      runTask: router.runTask,
      clock,
      logger,
      onMemoryOff: (why) => logger.warn(`memory is off: ${why}`),
      web: config.api.web, // off unless the operator turns it on: no utterance leaves the LAN
    });
  } catch (error) {
    // Nothing may stay running behind a failed start.
    await Promise.all([server.shutdown(), stopTasks()]);
    await Deno.remove(config.paths.daemonUrlFile).catch(() => {});
    throw error;
  }
  const conversations = new Conversations({
    turns,
    client: swarmClient,
    transcripts: new TranscriptStore(config.paths.sessionsDir),
    clock,
    logger,
    timers: deps.timers,
    idleMs: timings.chatSessionIdleMs,
    sweepMs: timings.chatSweepMs,
  });
  chat = conversations;
  memory = () => turns.memory();
  conversations.start();
  const memoryWatch = new MemoryWatch(() => turns.checkMemory(), { logger, timers: deps.timers });
  memoryWatch.start(timings.memoryCheckMs);
  identity.start(timings.identityRefreshMs);
  let discovery: DiscoveryService | null = null;
  try {
    discovery = await startDiscovery({
      identity,
      peers,
      token: token.token,
      port,
      bind: options.bind,
      staticPeers: config.daemon.peers,
      config: timings.discovery,
      mdns: options.mdns ?? config.daemon.mdns,
    }, deps);
  } catch (error) {
    logger.warn(`discovery did not start: ${(error as Error).message}; no peers will be found`);
  }

  let closed: Promise<void> | null = null;
  const close = async () => {
    chat = null; // no new conversations: the routes answer 503 from now on
    memoryWatch.stop();
    const reflected = await conversations.close(timings.shutdownReflectionMs);
    if (!reflected) {
      // The reflections still running keep the database; the process ends anyway.
      logger.warn("chat API: stopped before every open session was reflected on");
    }
    await discovery?.close();
    // The socket stops accepting at once; failing the running tasks ends their streams,
    // so the open requests can finish.
    const finished = Promise.all([server.shutdown(), stopTasks()]);
    let grace: unknown;
    await Promise.race([
      finished,
      new Promise((resolve) =>
        grace = deps.timers.setTimeout(() => resolve(null), timings.shutdownGraceMs)
      ),
    ]);
    deps.timers.clearTimeout(grace);
    // Memory closes last: one-off questions still answering use it until the socket closed.
    if (reflected) turns[Symbol.dispose]();
    await Deno.remove(config.paths.daemonUrlFile).catch(() => {});
  };
  return {
    url: `http://${host}:${port}`,
    localUrl,
    app,
    identity,
    peers,
    queue,
    router,
    token: { path: config.paths.swarmTokenFile, created: token.created, value: token.token },
    close: () => closed ??= close(),
  };
}

function listenError(error: unknown, bind: string, port: number): string {
  const where = `${bind}:${port}`;
  if (error instanceof Deno.errors.AddrInUse) {
    return `port ${port} on ${bind} is already in use (another mycoswarm daemon?): ` +
      "stop it, or pick another port with --port";
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return `not allowed to listen on ${where}: use a port above 1023 with --port`;
  }
  const why = error instanceof Error ? error.message : String(error);
  return `cannot listen on ${where}: ${why} (check --bind; it must be an address of this machine)`;
}
