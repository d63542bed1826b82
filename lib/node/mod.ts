/**
 * This node's identity: stable id, hardware tier, capabilities and models; the swarm
 * token; the client API keys; the machine's current load.
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
export {
  API_KEY_PREFIX,
  checkApiKeyName,
  createApiKey,
  hashApiKey,
  newApiKey,
  readApiKeys,
  revokeApiKey,
} from "./api_keys.ts";
export type { ApiKeyRecord, CreateApiKeyOptions, CreatedApiKey } from "./api_keys.ts";
export { ApiKeyWatcher } from "./api_key_watcher.ts";
export type { ApiKeyWatcherOptions, FileStamp } from "./api_key_watcher.ts";
export { readLoadInfo } from "./load_info.ts";
export type { LoadInfo, LoadInfoIo } from "./load_info.ts";
