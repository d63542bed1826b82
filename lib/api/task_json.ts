/** Tasks as the API shows them: the result view and the stream's final event. */

import type { TaskJson, TaskRecord, TaskStreamEvent } from "../orchestrator/mod.ts";

/** Seconds the task ran (so far, while running); null while it waits. */
export function durationSeconds(task: TaskRecord, now: number): number | null {
  if (task.started_at === null) return null;
  return Math.max(0, ((task.finished_at ?? now) - task.started_at) / 1000);
}

/** `GET /task/:id`: `{task_id, task_type, status, result, error, duration_seconds, node_id}`. */
export function taskJson(task: TaskRecord, now: number): TaskJson {
  return {
    task_id: task.task_id,
    task_type: task.task_type,
    status: task.status,
    result: task.result,
    error: task.error,
    duration_seconds: durationSeconds(task, now),
    node_id: task.node_id,
  };
}

/**
 * The last event of a task's stream. A completed inference gives its speed and model (and,
 * when `replay` is set because nothing was streamed, its whole answer as `token`); other
 * task types give their result (an inference too, with `withResult`); a failure gives
 * `{error, done: true}`, with `retryable` when the node is `closing`.
 */
export function finalEvent(
  task: TaskRecord,
  now: number,
  options: { replay: boolean; withResult?: boolean; closing?: boolean },
): TaskStreamEvent {
  const { replay, withResult = false, closing = false } = options;
  if (task.status === "failed") {
    return {
      error: task.error ?? "The task failed",
      done: true,
      node_id: task.node_id,
      // Failed because this node is stopping: another node may well run it.
      ...(closing ? { retryable: true } : {}),
    };
  }
  const duration = durationSeconds(task, now);
  const result = (task.result ?? {}) as Record<string, unknown>;
  if (task.task_type === "inference") {
    return {
      ...(replay ? { token: String(result.response ?? "") } : {}),
      done: true,
      tokens_per_second: numberOrNull(result.tokens_per_second),
      duration_seconds: numberOrNull(result.duration_seconds) ?? duration,
      node_id: task.node_id,
      model: typeof result.model === "string" ? result.model : null,
      ...(withResult ? { result: task.result } : {}),
    };
  }
  return { done: true, result: task.result, duration_seconds: duration, node_id: task.node_id };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" ? value : null;
}
