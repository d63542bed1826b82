/**
 * Model backends: Ollama and any OpenAI-compatible server, through the AI SDK
 * (the only place that imports it). Lists models, picks roles, streams chat,
 * embeds text.
 *
 * @module
 */
export * from "./types.ts";
export * from "./roles.ts";
export * from "./model_server.ts";
export * from "./chat.ts";
export * from "./client.ts";
