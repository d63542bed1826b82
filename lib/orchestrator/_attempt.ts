/**
 * One dispatch attempt: run a task on one node — a peer over HTTP, or this node's queue —
 * re-emitting its output. Failures that let the next node try are {@linkcode RetryableError}s.
 *
 * @module
 */

import type { Fetch } from "../core/mod.ts";
import type { Timers } from "../core/mod.ts";
import type { PeerTable } from "../discovery/mod.ts";
import type { InFlight } from "./in_flight.ts";
import type { NodeFacts } from "./node_facts.ts";
import { cancelTask, NodeHttpError, openTaskStream, postTask } from "./node_client.ts";
import type { TaskStreamEvent } from "./node_api_types.ts";
import { SseFormatError } from "./_sse.ts";
import { isSummary } from "./_summary.ts";
import { QueueBusyError, type TaskQueue } from "./task_queue.ts";
import type { TaskInput, TaskRecord } from "./types.ts";

/** The node could not take or finish the task, and nothing says it would fail elsewhere. */
export class RetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RetryableError";
  }
}

/** The task itself failed on `nodeId` (its handler failed, or the node refused it): not retried. */
export class TaskFailedError extends Error {
  /** The node that failed, why, and its refusal if it refused the task. */
  constructor(
    readonly nodeId: string,
    message: string,
    /** Set when the node refused the task at submission: its HTTP status, code and field. */
    readonly refusal: { status: number; code: string; field: string | null } | null = null,
  ) {
    super(message);
    this.name = "TaskFailedError";
  }
}

/** What an attempt needs. */
export interface AttemptContext {
  peers: PeerTable;
  queue: TaskQueue;
  localId: string;
  token: string;
  fetch: Fetch;
  timers: Timers;
  inFlight: InFlight;
  submitTimeoutMs: number;
  signal: AbortSignal | undefined;
  emit(text: string): void;
  accepted(node: NodeFacts): void;
}

/** Statuses after which another node may well succeed. */
const RETRYABLE_STATUS = new Set([401, 403, 404, 408, 429]);

/** Runs `task` on the peer `node`: POST it (marked as a hop), then follow its stream. */
export async function runRemote(
  task: TaskInput & { task_id: string },
  node: NodeFacts,
  ctx: AttemptContext,
): Promise<unknown> {
  const release = ctx.inFlight.begin(node.nodeId);
  const lost = new AbortController();
  const stopWatching = ctx.peers.on(({ type, peer }) => {
    if (peer.nodeId !== node.nodeId || (type !== "dead" && type !== "leave")) return;
    lost.abort(new RetryableError(type === "dead" ? "stopped answering" : "left the swarm"));
  });
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, lost.signal]) : lost.signal;
  const call = { fetch: ctx.fetch, token: ctx.token, signal, hop: true };
  const classify = (error: unknown) => classifyError(error, node, ctx.signal, lost.signal);
  try {
    const seconds = ctx.submitTimeoutMs / 1000;
    const timer = ctx.timers.setTimeout(
      () => lost.abort(new RetryableError(`no answer to POST /task within ${seconds} s`)),
      ctx.submitTimeoutMs,
    );
    try {
      await postTask(node.url!, { ...task, source_node: ctx.localId }, call);
    } catch (error) {
      throw classify(error);
    } finally {
      ctx.timers.clearTimeout(timer);
    }
    ctx.accepted(node);
    // Stopped here (our client left, or this node stops): stop it there too.
    const cancelThere = () => void cancelTask(node.url!, task.task_id, call);
    ctx.signal?.addEventListener("abort", cancelThere, { once: true });
    let text = "";
    try {
      for await (const event of await openTaskStream(node.url!, task.task_id, call)) {
        if (typeof event.token === "string" && event.token !== "") {
          text += event.token;
          ctx.emit(event.token);
        }
        if (!event.done) continue;
        if (typeof event.error === "string") {
          if (event.retryable) throw new RetryableError("shut down during the task");
          throw new TaskFailedError(node.nodeId, event.error);
        }
        // A summary (the node kept the result too briefly) is not the result: never pass it on.
        if (isSummary(event.result)) throw new RetryableError("its result is no longer kept whole");
        return event.result ?? resultFromEvents(task, text, event);
      }
    } catch (error) {
      throw classify(error);
    } finally {
      ctx.signal?.removeEventListener("abort", cancelThere);
    }
    throw new RetryableError("the connection closed before the task ended");
  } finally {
    stopWatching();
    release();
  }
}

/** Runs `task` in this node's queue, re-emitting its output. */
export async function runLocal(
  task: TaskInput & { task_id: string },
  node: NodeFacts,
  ctx: AttemptContext,
): Promise<unknown> {
  const { queue, signal } = ctx;
  try {
    queue.submit(task);
  } catch (error) {
    if (error instanceof QueueBusyError) throw new RetryableError(error.message, { cause: error });
    throw error; // a bad payload or id: the same everywhere
  }
  ctx.accepted(node);
  const ended = await new Promise<TaskRecord>((resolve, reject) => {
    const onAbort = () => {
      unsubscribe?.();
      queue.cancel(task.task_id); // ours to stop: the relay that ran it here was stopped
      reject(signal!.reason);
    };
    const unsubscribe = queue.subscribe(task.task_id, (event) => {
      if (event.type === "token") return ctx.emit(event.text);
      signal?.removeEventListener("abort", onAbort);
      resolve(event.task);
    });
    if (unsubscribe === null) return resolve(queue.get(task.task_id)!);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  if (ended.status === "failed") {
    throw new TaskFailedError(node.nodeId, ended.error ?? "The task failed");
  }
  // Read back after its end (not heard): only a summary may be left. Never pass it on.
  if (isSummary(ended.result)) throw new RetryableError("its result is no longer kept whole");
  return ended.result;
}

/** Sorts a failure: ours to stop, the node's to retry elsewhere, or the task's own. */
function classifyError(
  error: unknown,
  node: NodeFacts,
  caller: AbortSignal | undefined,
  lost: AbortSignal,
): unknown {
  if (error instanceof RetryableError || error instanceof TaskFailedError) return error;
  if (caller?.aborted) return caller.reason;
  if (lost.aborted) return lost.reason;
  if (error instanceof NodeHttpError) {
    if (error.status >= 500 || RETRYABLE_STATUS.has(error.status)) {
      return new RetryableError(`HTTP ${error.status}: ${error.message}`, { cause: error });
    }
    const { status, code, field } = error;
    return new TaskFailedError(node.nodeId, error.message, { status, code, field });
  }
  if (error instanceof SseFormatError) return new RetryableError(error.message, { cause: error });
  const why = error instanceof Error ? error.message : String(error);
  return new RetryableError(`unreachable (${why.split("\n")[0]})`, { cause: error });
}

/** The result of a peer that does not send it in the final event (an older version). */
function resultFromEvents(task: TaskInput, text: string, final: TaskStreamEvent): unknown {
  if (task.task_type !== "inference") return null;
  return {
    response: text,
    model: final.model ?? null,
    tokens_per_second: final.tokens_per_second ?? 0,
    duration_seconds: final.duration_seconds ?? 0,
  };
}
