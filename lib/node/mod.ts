/**
 * This node's identity: stable id, hardware tier, capabilities and models.
 *
 * @module
 */
export * from "./node_id.ts";
export * from "./identity.ts";
