/** `POST /task` and `GET /task/:id`: queue work on this node and collect its result. */

import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { QueueBusyError } from "../orchestrator/mod.ts";
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
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `The request body is over ${maxBytes} bytes`);
      },
    }),
    async (c) => {
      const input = parseTaskBody(await c.req.text());
      let task;
      try {
        task = deps.queue.submit(input);
      } catch (error) {
        if (!(error instanceof QueueBusyError)) throw error;
        throw new ApiError(
          503,
          error.reason === "full" ? "queue_full" : "shutting_down",
          error.message,
          {
            headers: { "Retry-After": String(deps.retryAfterSeconds ?? 5) },
          },
        );
      }
      // "pending" as in the Python API: accepted, not finished (it may already be running).
      return c.json({ task_id: task.task_id, status: "pending", node_id: task.node_id }, 202);
    },
  );

  app.get("/:id", (c) => c.json(taskJson(found(deps, c.req.param("id")), deps.clock.now())));

  return app;
}

/** The task, or a 404. */
export function found(deps: ApiDeps, id: string) {
  const task = deps.queue.get(id);
  if (task === undefined) {
    throw new ApiError(
      404,
      "not_found",
      `No task '${id}' on this node (finished tasks are kept for a while)`,
    );
  }
  return task;
}
