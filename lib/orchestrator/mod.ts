/**
 * The orchestrator: the node's task queue and handlers, and routing — pure scoring of the
 * peers and this node ({@linkcode rankNodes}), then dispatch with failover
 * ({@linkcode dispatchTask}) behind the node's {@linkcode TaskRouter}.
 *
 * @module
 */
export * from "./types.ts";
export * from "./task_queue.ts";
export * from "./handlers.ts";
export * from "./inference_handler.ts";
export * from "./embedding_handler.ts";
export * from "./run_task.ts";
export * from "./web_options.ts";
export * from "./web_handlers.ts";
export * from "./node_facts.ts";
export * from "./scoring.ts";
export * from "./in_flight.ts";
export * from "./node_client.ts";
export * from "./dispatch.ts";
export * from "./task_router.ts";
export * from "./swarm_models.ts";
export * from "./swarm_model_client.ts";
export type * from "./node_api_types.ts";
