/**
 * The orchestrator: the node's task queue and handlers, and routing — pure scoring of the
 * peers and this node, then dispatch with failover ({@linkcode dispatchTask}) behind the
 * node's {@linkcode TaskRouter}; `RunTask`, the seam work runs through (here, through a
 * router in process, or over HTTP); the swarm's model client and model list; requests for a
 * named model routed to a node that has it ({@linkcode ModelRouter}); the node API's wire types.
 *
 * @module
 */
export { TaskFailedError } from "./_attempt.ts";
export { DEGRADED_NOTE, dispatchTask } from "./dispatch.ts";
export type { DispatchAttempt, DispatchOptions, DispatchResult, LocalNode } from "./dispatch.ts";
export { createHandlers, pingHandler } from "./handlers.ts";
export type { HandlerDeps } from "./handlers.ts";
export type { InFlight } from "./in_flight.ts";
export type {
  HealthJson,
  MemoryJson,
  PeerJson,
  StatusJson,
  TaskAccepted,
  TaskJson,
  TaskStreamEvent,
} from "./node_api_types.ts";
export {
  forwardToNode,
  getNodeJson,
  HOP_HEADER,
  NodeHttpError,
  nodeRunTask,
  openTaskStream,
  postTask,
} from "./node_client.ts";
export type { NodeCall } from "./node_client.ts";
export { LOADED_BONUS, placeModel } from "./model_placement.ts";
export type { PlacementOptions } from "./model_placement.ts";
export { ModelRouter } from "./model_router.ts";
export type { ForwardedAnswer, ModelRequest, ModelRouterOptions } from "./model_router.ts";
export { localFacts, peerFacts } from "./node_facts.ts";
export type { IdentityFacts, NodeFacts } from "./node_facts.ts";
export { localRunTask } from "./run_task.ts";
export type { LocalRunTaskOptions, RunTask, RunTaskOptions } from "./run_task.ts";
export type { ExcludedNode, ModelMatch, Ranking, ScoredNode } from "./scoring.ts";
export { SwarmModelClient } from "./swarm_model_client.ts";
export { swarmModelList } from "./swarm_models.ts";
export type { ModelHolder, PeerModels, SelfModels, SwarmModel } from "./swarm_models.ts";
export { QueueBusyError, TaskQueue } from "./task_queue.ts";
export type { QueueStats, RetainedStats, TaskQueueOptions } from "./task_queue.ts";
export { isSummary } from "./_summary.ts";
export type { Summary } from "./_summary.ts";
export { TaskRouter } from "./task_router.ts";
export type { RoutedTask } from "./task_router.ts";
export { isTaskId, isTaskType, TASK_TYPES } from "./types.ts";
export type {
  TaskContext,
  TaskEvent,
  TaskHandler,
  TaskHandlers,
  TaskInput,
  TaskListener,
  TaskPayload,
  TaskRecord,
  TaskStatus,
  TaskType,
} from "./types.ts";
export { webHandlers } from "./web_handlers.ts";
export type { WebHandlerOptions } from "./web_handlers.ts";
export { webHandlerOptions } from "./web_options.ts";
