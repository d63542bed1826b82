/**
 * The node API (`createApp(deps)`): health, identity, peers, status and tasks behind the swarm
 * token; the Ollama and OpenAI client routes, also open to client keys and trusted networks.
 *
 * @module
 */
export { createApp } from "./app.ts";
export type { ApiDeps, NodeApp } from "./types.ts";
export { peerJson } from "./peer_json.ts";
