/**
 * Calls to a node API over HTTP: submit a task, follow its stream, read a JSON route, or
 * all of it as a {@linkcode RunTask}. Nodes forward tasks to peers with these; the CLI
 * reaches the local daemon with them.
 *
 * @module
 */

import { createError, type Fetch } from "../core/mod.ts";
import { sseEvents } from "./_sse.ts";
import type { RunTask } from "./run_task.ts";
import type { TaskAccepted, TaskStreamEvent } from "./node_api_types.ts";
import type { TaskInput } from "./types.ts";

/**
 * Marks a request sent by a node on behalf of another: the receiver runs the task itself
 * and never forwards it again, so two nodes can never bounce a task between them.
 */
export const HOP_HEADER = "X-Mycoswarm-Hop";

/** How to call a node. */
export interface NodeCall {
  /** HTTP client for the node's API. */
  fetch: Fetch;
  /** The swarm token. */
  token: string;
  /** Cancels the call. */
  signal?: AbortSignal | undefined;
  /** Sets {@linkcode HOP_HEADER}. @default false */
  hop?: boolean;
}

/** A node answered with an error status; `code`, `message` and `field` come from its JSON body. */
export class NodeHttpError extends Error {
  /** An error status the node answered with, and its JSON body's fields. */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = "NodeHttpError";
  }
}

function headers(call: NodeCall, json: boolean): Headers {
  const h = new Headers({ "x-swarm-token": call.token });
  if (json) h.set("content-type", "application/json");
  if (call.hop) h.set(HOP_HEADER, "1");
  return h;
}

/** Turns an error response into a {@linkcode NodeHttpError}, reading the JSON error body. */
async function failure(response: Response, what: string): Promise<NodeHttpError> {
  const text = await response.text().catch(() => "");
  let error: { code?: unknown; message?: unknown; field?: unknown } = {};
  try {
    error = JSON.parse(text)?.error ?? {};
  } catch { /* not JSON */ }
  const message = typeof error.message === "string"
    ? error.message
    : `${what} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`;
  return new NodeHttpError(
    response.status,
    typeof error.code === "string" ? error.code : "http_error",
    message,
    typeof error.field === "string" ? error.field : null,
  );
}

/**
 * Submits a task.
 *
 * @throws NodeHttpError for an error status; whatever fetch throws when unreachable
 */
export async function postTask(
  baseUrl: string,
  input: TaskInput & { source_node?: string },
  call: NodeCall,
): Promise<TaskAccepted> {
  const response = await call.fetch(`${baseUrl}/task`, {
    method: "POST",
    headers: headers(call, true),
    body: JSON.stringify(input),
    ...(call.signal ? { signal: call.signal } : {}),
  });
  if (!response.ok) throw await failure(response, `POST ${baseUrl}/task`);
  return await response.json() as TaskAccepted;
}

/**
 * Opens a task's event stream (asking for the result in the final event).
 *
 * @throws NodeHttpError for an error status; whatever fetch throws when unreachable
 */
export async function openTaskStream(
  baseUrl: string,
  taskId: string,
  call: NodeCall,
): Promise<AsyncGenerator<TaskStreamEvent>> {
  const url = `${baseUrl}/task/${encodeURIComponent(taskId)}/stream?include=result`;
  const response = await call.fetch(url, {
    headers: headers(call, false),
    ...(call.signal ? { signal: call.signal } : {}),
  });
  if (!response.ok || response.body === null) throw await failure(response, `GET ${url}`);
  return sseEvents(response.body) as AsyncGenerator<TaskStreamEvent>;
}

/**
 * Cancels a task on a node, best effort: a node that is gone or has forgotten the task has
 * nothing left to stop. Never throws; gives up after `timeoutMs`.
 */
export async function cancelTask(
  baseUrl: string,
  taskId: string,
  call: Omit<NodeCall, "signal">,
  timeoutMs = 2_000,
): Promise<boolean> {
  try {
    const response = await call.fetch(`${baseUrl}/task/${encodeURIComponent(taskId)}`, {
      method: "DELETE",
      headers: headers(call, false),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Reads a JSON route such as `/status` or `/peers`.
 *
 * @throws NodeHttpError for an error status; whatever fetch throws when unreachable
 */
export async function getNodeJson<T>(baseUrl: string, path: string, call: NodeCall): Promise<T> {
  const response = await call.fetch(`${baseUrl}${path}`, {
    headers: headers(call, false),
    ...(call.signal ? { signal: call.signal } : {}),
  });
  if (!response.ok) throw await failure(response, `GET ${baseUrl}${path}`);
  return await response.json() as T;
}

/**
 * A {@linkcode RunTask} that runs each task through the node at `baseUrl` (which runs it or
 * routes it to the best peer): its output streamed to `onToken`, its result from the final
 * event. A signal that fires cancels the task there, wherever it runs.
 */
export function nodeRunTask(baseUrl: string, call: Omit<NodeCall, "signal">): RunTask {
  return async (type, payload, options = {}) => {
    const failure = options.failureCode ?? "swarm_unavailable";
    const withSignal = { ...call, signal: options.signal };
    let taskId: string | null = null;
    try {
      const accepted = await postTask(baseUrl, {
        task_type: type,
        payload,
        priority: options.priority ?? 5,
        timeout_seconds: options.timeoutSeconds ?? 300,
      }, withSignal);
      taskId = accepted.task_id;
      if (accepted.note) options.onNote?.(accepted.note);
      for await (const event of await openTaskStream(baseUrl, accepted.task_id, withSignal)) {
        if (typeof event.token === "string" && event.token !== "") options.onToken?.(event.token);
        if (!event.done) continue;
        const node = event.node_id ?? accepted.node_id;
        options.onNode?.(node);
        if (event.error) throw createError(failure, `${type} on ${node}: ${event.error}`);
        return event.result;
      }
    } catch (error) {
      // Nobody waits for the rest: stop the task, wherever it runs.
      if (options.signal?.aborted && taskId !== null) await cancelTask(baseUrl, taskId, call);
      throw error;
    }
    throw createError(failure, `${type}: the node's stream ended without a result`);
  };
}

/**
 * Sends a client's request for a model (`/api/chat`, `/v1/embeddings`, ...) to the node at
 * `baseUrl`, marked as a hop so that node answers it from its own model server; the
 * response comes back unchanged, streamed.
 *
 * @throws whatever fetch throws when the node is unreachable
 */
export function forwardToNode(
  baseUrl: string,
  path: string,
  request: { method: string; body?: string | undefined },
  call: NodeCall,
): Promise<Response> {
  return call.fetch(`${baseUrl}${path}`, {
    method: request.method,
    headers: headers({ ...call, hop: true }, request.body !== undefined),
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(call.signal ? { signal: call.signal } : {}),
  });
}
