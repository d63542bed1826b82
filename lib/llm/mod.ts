/**
 * Model backends: Ollama through its native API, any other OpenAI-compatible server through
 * the AI SDK (the only place that imports it). Lists models, picks roles, streams chat,
 * embeds text.
 *
 * @module
 */
export { ModelClient } from "./client.ts";
export type { ModelClientSettings } from "./client.ts";
export { embedTexts } from "./chat.ts";
export type { ChatAnswer, ChatRequest } from "./chat.ts";
export { findInstalled } from "./model_server.ts";
export { forwardToServer, isOllamaPath } from "./forward.ts";
export type { ForwardedRequest } from "./forward.ts";
export { CONTEXT_TOKENS_CAP, DEFAULT_CONTEXT_TOKENS } from "./context_window.ts";
export type { ServerListing, ServerSettings } from "./model_server.ts";
export {
  chatModelsBySize,
  isEmbeddingModel,
  parameterBillions,
  pickRoles,
  rolesOf,
} from "./roles.ts";
export type { RoleOverrides } from "./roles.ts";
export type {
  ChatMessage,
  ModelInfo,
  ModelRoles,
  ModelServer,
  ServerKind,
  Usage,
} from "./types.ts";
