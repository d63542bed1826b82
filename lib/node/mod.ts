/**
 * This node's identity: stable id, hardware tier, capabilities and models; the swarm
 * token; the machine's current load.
 *
 * @module
 */
export * from "./node_id.ts";
export * from "./identity.ts";
export * from "./swarm_token.ts";
export * from "./load_info.ts";
