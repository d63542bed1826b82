/**
 * The node API (`createApp(deps)`): health, identity, peers, status and tasks, every route
 * but `/health` behind the swarm token.
 *
 * @module
 */
export { createApp } from "./app.ts";
export type { ApiDeps, NodeApp } from "./types.ts";
export { peerJson } from "./peer_json.ts";
