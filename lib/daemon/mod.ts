/**
 * The daemon: a running node assembled from the layers below — identity, token, queue,
 * router, node API, discovery, the chat service and their timers — with one `close()`.
 *
 * @module
 */
export { startNode } from "./start_node.ts";
export type { RunningNode, Serve, StartNodeOptions } from "./start_node.ts";
export { guardedServe } from "./guarded_serve.ts";
export type { GuardedServeInfo, GuardedServeOptions, GuardedServer } from "./guarded_serve.ts";
export type { DaemonConfig } from "./daemon_config.ts";
export type { IdentityCache } from "./identity_cache.ts";
