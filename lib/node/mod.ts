/**
 * This node's identity: stable id, hardware tier, capabilities and models; the swarm
 * token; the machine's current load.
 *
 * @module
 */
export { detectNode } from "./identity.ts";
export type { DetectDeps, ModelServerStatus, NodeIdentity, NodeModel } from "./identity.ts";
export {
  ensureSwarmToken,
  newSwarmToken,
  readSwarmToken,
  rotateSwarmToken,
  writeSwarmToken,
} from "./swarm_token.ts";
export type { EnsuredToken, SwarmTokenOptions } from "./swarm_token.ts";
export { readLoadInfo } from "./load_info.ts";
export type { LoadInfo, LoadInfoIo } from "./load_info.ts";
