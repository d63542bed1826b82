/**
 * The node API (`createApp(deps)`): health, identity, peers, status and tasks, every route
 * but `/health` behind the swarm token.
 *
 * @module
 */
export * from "./types.ts";
export * from "./app.ts";
export { ApiError, errorBody } from "./api_error.ts";
export { presentedToken, requireToken } from "./auth.ts";
export { peerJson } from "./peer_json.ts";
export { parseTaskBody } from "./task_body.ts";
export { DEFAULT_MAX_BODY_BYTES } from "./task_routes.ts";
export { chatRoutes } from "./chat_routes.ts";
export { SESSION_HEADER } from "./_chat_shared.ts";
