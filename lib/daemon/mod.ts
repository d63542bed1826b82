/**
 * The daemon: a running node assembled from the layers below — identity, token, queue,
 * router, node API, discovery, the chat service and their timers — with one `close()`.
 *
 * @module
 */
export { type RunningNode, type Serve, startNode, type StartNodeOptions } from "./start_node.ts";
export { type DaemonConfig, daemonConfig, DEFAULT_DAEMON_CONFIG } from "./daemon_config.ts";
export { IdentityCache } from "./identity_cache.ts";
export { addressesFor, txtOf } from "./node_discovery.ts";
