/**
 * The seam work fans out through: `runTask(type, payload)` runs a task somewhere and resolves
 * to its result. Research and chat take one; the default runs on this node, the swarm's
 * dispatcher runs it on the best peer.
 *
 * @module
 */

import {
  type Clock,
  createError,
  type ErrorCode,
  systemClock,
  systemTimers,
  type Timers,
} from "../core/mod.ts";
import type { TaskContext, TaskHandlers, TaskPayload, TaskRecord, TaskType } from "./types.ts";

/** How one task should run. */
export interface RunTaskOptions {
  /** 1–10, higher runs first. @default 5 */
  priority?: number | undefined;
  /** Time the task may take once running. @default 300 */
  timeoutSeconds?: number | undefined;
  /** Cancels the task, wherever it runs. */
  signal?: AbortSignal | undefined;
  /** Receives each piece of output (an inference's tokens) as it comes. */
  onToken?: ((text: string) => void) | undefined;
  /** Receives what the caller should hear about the routing, e.g. that it ran degraded. */
  onNote?: ((note: string) => void) | undefined;
  /** Told the id of the node that ran the task, once it is done. */
  onNode?: ((nodeId: string) => void) | undefined;
  /**
   * The error code a task that failed on another node is reported with (its own code is
   * lost on the way: a record keeps only the message). @default "swarm_unavailable"
   */
  failureCode?: ErrorCode | undefined;
}

/**
 * Runs one task and resolves to its result.
 *
 * @throws the task's failure (a MycoError keeps its code when the task ran in process)
 */
export type RunTask = (
  type: TaskType,
  payload: TaskPayload,
  options?: RunTaskOptions,
) => Promise<unknown>;

/** Settings of {@linkcode localRunTask}. */
export interface LocalRunTaskOptions {
  /** Written into the task record handlers see. @default "local" */
  nodeId?: string | undefined;
  /** Stamps the task record's times. @default systemClock */
  clock?: Clock | undefined;
  /** Runs the task's timeout. @default systemTimers */
  timers?: Timers | undefined;
}

/**
 * A {@linkcode RunTask} that calls this node's handlers in process: no queue, no limit (the
 * web tasks are I/O-bound), errors keep their codes.
 *
 * @example
 * ```ts
 * const runTask = localRunTask(webHandlers({ fetch, web }));
 * const found = await runTask("web_search", { query: "deno fmt" });
 * ```
 */
export function localRunTask(handlers: TaskHandlers, options: LocalRunTaskOptions = {}): RunTask {
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  let count = 0;
  return async (type, payload, run = {}) => {
    const handler = handlers[type];
    if (handler === undefined) {
      throw createError("invalid_input", `task_type '${type}' is not run on this node`, {
        field: "task_type",
      });
    }
    handler.validate?.(payload);
    const seconds = run.timeoutSeconds ?? 300;
    const controller = new AbortController();
    const stop = () => controller.abort(run.signal?.reason);
    if (run.signal?.aborted) stop();
    run.signal?.addEventListener("abort", stop, { once: true });
    const timer = timers.setTimeout(
      () => controller.abort(createError("interrupted", `Task timed out after ${seconds} s`)),
      seconds * 1000,
    );
    const now = clock.now();
    const task: TaskRecord = {
      task_id: `local-${++count}`,
      task_type: type,
      payload,
      priority: run.priority ?? 5,
      timeout_seconds: seconds,
      status: "running",
      result: null,
      error: null,
      created_at: now,
      started_at: now,
      finished_at: null,
      node_id: options.nodeId ?? "local",
    };
    const ctx: TaskContext = {
      task,
      signal: controller.signal,
      emit: (text) => run.onToken?.(text),
    };
    try {
      const result = await handler.run(payload, ctx);
      run.onNode?.(task.node_id);
      return result;
    } finally {
      timers.clearTimeout(timer);
      run.signal?.removeEventListener("abort", stop);
    }
  };
}
