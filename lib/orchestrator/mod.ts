/**
 * The orchestrator: the node's task queue and the handlers that run each task type.
 * (Choosing a peer for a task — pure scoring and dispatch — comes with routing.)
 *
 * @module
 */
export * from "./types.ts";
export * from "./task_queue.ts";
export * from "./handlers.ts";
export * from "./inference_handler.ts";
export * from "./embedding_handler.ts";
