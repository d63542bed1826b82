/**
 * `GET /task/:id/stream`: Server-Sent Events. Each output piece is
 * `data: {"token": "...", "done": false}`; the last event is
 * `{"done": true, "tokens_per_second", "duration_seconds", "node_id", "model"}` or
 * `{"error": "...", "done": true}`. A finished task is replayed as one event.
 *
 * @module
 */

import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { TaskEvent } from "../orchestrator/mod.ts";
import { EventChannel } from "./_event_channel.ts";
import { finalEvent } from "./task_json.ts";
import { found } from "./task_routes.ts";
import type { ApiDeps } from "./types.ts";

/** The stream route, mounted at `/task`. */
export function taskStreamRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get("/:id/stream", (c) => {
    const id = c.req.param("id");
    const task = found(deps, id);
    const events = new EventChannel<TaskEvent>();
    // Subscribed before the response starts, so no token falls between the two.
    const unsubscribe = deps.queue.subscribe(id, events.push);
    return streamSSE(c, async (stream) => {
      const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
      if (unsubscribe === null) {
        await send(finalEvent(deps.queue.get(id) ?? task, deps.clock.now(), { replay: true }));
        return;
      }
      stream.onAbort(() => {
        unsubscribe();
        events.close();
      });
      try {
        for await (const event of events) {
          if (event.type === "token") {
            await send({ token: event.text, done: false });
          } else {
            await send(finalEvent(event.task, deps.clock.now(), { replay: false }));
            break;
          }
        }
      } finally {
        unsubscribe();
      }
    }, async (error, stream) => {
      deps.logger?.error(`node API: stream of task ${id} failed: ${error.message}`);
      await stream.writeSSE({ data: JSON.stringify({ error: error.message, done: true }) });
    });
  });
  return app;
}
