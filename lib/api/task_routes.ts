/** `POST /task` and `GET /task/:id`: queue work on this node and collect its result. */

import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  HOP_HEADER,
  QueueBusyError,
  type RoutedTask,
  type TaskAccepted,
  TaskFailedError,
  type TaskQueue,
} from "../orchestrator/mod.ts";
import { limitBody } from "./_json_body.ts";
import { hopBodyBytes } from "./model_pass_through.ts";
import { ApiError } from "./api_error.ts";
import { parseTaskBody } from "./task_body.ts";
import { taskJson } from "./task_json.ts";
import type { ApiDeps } from "./types.ts";

/** The default largest request body: prompts are text, 1 MiB is a lot of it. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The task routes, mounted at `/task`. */
export function taskRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  app.post(
    "/",
    // A task a peer passes on (`X-Mycoswarm-Hop`; every caller here has the swarm token)
    // may be an inference built from a client's body of up to 32 MiB: taking only 1 MiB
    // made such a request fail with a misleading 502 on its way through the swarm.
    limitBody(maxBytes, {
      bytes: hopBodyBytes(deps),
      when: (c) => c.req.header(HOP_HEADER) !== undefined,
    }),
    async (c) => {
      const input = parseTaskBody(await c.req.text());
      const hop = c.req.header(HOP_HEADER) !== undefined;
      let routed: RoutedTask;
      try {
        routed = deps.router === undefined || hop
          ? { task: deps.queue.submit(input), note: null }
          : await deps.router.route(input);
      } catch (error) {
        throw refusal(error, deps.retryAfterSeconds ?? 5);
      }
      const { task, note } = routed;
      // "pending" as in the Python API: accepted, not finished (it may already be running).
      const accepted: TaskAccepted = {
        task_id: task.task_id,
        status: "pending",
        node_id: task.node_id,
        ...(note === null ? {} : { note }),
      };
      return c.json(accepted, 202);
    },
  );

  app.get("/:id", (c) => c.json(taskJson(found(deps, c.req.param("id")), deps.clock.now())));

  // Cancels a task: waiting, it fails at once; running, it is stopped (a relayed one on the
  // node that runs it too). Finished, nothing changes. Answers the task as it is then.
  app.delete("/:id", (c) => {
    const id = c.req.param("id");
    found(deps, id);
    const task = queueOf(deps, id).cancel(id)!;
    return c.json(taskJson(task, deps.clock.now()));
  });

  return app;
}

/** Errors of submission as the API answers them: a full queue is 503, a peer's refusal its own. */
function refusal(error: unknown, retryAfter: number): unknown {
  if (error instanceof QueueBusyError) {
    const code = error.reason === "full" ? "queue_full" : "shutting_down";
    return new ApiError(503, code, error.message, {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
  if (error instanceof TaskFailedError && error.refusal !== null) {
    const { status, code, field } = error.refusal;
    const extra = field === null ? {} : { field };
    return new ApiError(status as ContentfulStatusCode, code, error.message, extra);
  }
  return error;
}

/** The queue holding task `id` (the router's relay for relayed tasks), or the node's own. */
export function queueOf(deps: ApiDeps, id: string): TaskQueue {
  return deps.router?.queueOf(id) ?? deps.queue;
}

/** The task, or a 404. */
export function found(deps: ApiDeps, id: string) {
  const task = queueOf(deps, id).get(id);
  if (task === undefined) {
    throw new ApiError(
      404,
      "not_found",
      `No task '${id}' on this node (finished tasks are kept for a while)`,
    );
  }
  return task;
}
