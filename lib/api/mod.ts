/**
 * The node API (`createApp(deps)`): health, identity, peers, status and tasks behind the swarm
 * token; the Ollama and OpenAI client routes, also open to client keys and trusted networks.
 *
 * @module
 */
export * from "./types.ts";
export * from "./app.ts";
export { ApiError, errorBody } from "./api_error.ts";
export { presentedToken, requireAuth } from "./auth.ts";
export type { AuthDeps } from "./auth.ts";
export { isClientRoute } from "./route_class.ts";
export { peerJson } from "./peer_json.ts";
export { parseTaskBody } from "./task_body.ts";
export { DEFAULT_MAX_BODY_BYTES } from "./task_routes.ts";
export { chatRoutes } from "./chat_routes.ts";
export { SESSION_HEADER } from "./_chat_shared.ts";
