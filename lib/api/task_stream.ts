/**
 * `GET /task/:id/stream`: Server-Sent Events. Each output piece is
 * `data: {"token": "...", "done": false}`; the last event is
 * `{"done": true, "tokens_per_second", "duration_seconds", "node_id", "model"}` or
 * `{"error": "...", "done": true}`. A finished task is replayed as one event.
 * `?include=result` adds the whole `result` to an inference's final event (relaying nodes
 * ask for it), and an error because this node is shutting down says `"retryable": true`,
 * as does the replay of a task whose large result is no longer kept whole.
 *
 * @module
 */

import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import {
  isSummary,
  type TaskEvent,
  type TaskRecord,
  type TaskStreamEvent,
} from "../orchestrator/mod.ts";
import { EventChannel } from "./_event_channel.ts";
import { finalEvent } from "./task_json.ts";
import { found, queueOf } from "./task_routes.ts";
import type { ApiDeps } from "./types.ts";

/** Tokens closer together than this are a burst, sent as few events as possible. */
const BURST_MS = 2;

/** The stream route, mounted at `/task`. */
export function taskStreamRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.get("/:id/stream", (c) => {
    const id = c.req.param("id");
    const task = found(deps, id);
    const queue = queueOf(deps, id);
    const withResult = c.req.query("include") === "result";
    const final = (record: TaskRecord, replay: boolean) =>
      finalEvent(record, deps.clock.now(), { replay, withResult, closing: queue.closed });
    const events = new EventChannel<TaskEvent>();
    // Subscribed before the response starts, so no token falls between the two.
    const unsubscribe = queue.subscribe(id, events.push);
    return streamSSE(c, async (stream) => {
      const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
      if (unsubscribe === null) {
        const record = queue.get(id) ?? task;
        // Only a summary is left: saying so beats passing a cut result on as the whole.
        if (withResult && isSummary(record.result)) await send(forgotten(record));
        else await send(final(record, true));
        return;
      }
      stream.onAbort(() => {
        unsubscribe();
        events.close();
      });
      let lastWrite = -Infinity;
      try {
        for await (const event of events) {
          if (event.type === "token") {
            // A fast stream (the last event went out under BURST_MS ago): wait for the rest
            // of the burst — one event-loop turn, or the task's end — so the tokens of one
            // network read of the model server leave as one event, as do those that
            // arrived while the last write was in flight. A model at human speed still
            // gets one event per token, sent at once.
            if (performance.now() - lastWrite < BURST_MS) {
              await events.nextTurnOr((e) => e.type !== "token");
            }
            const more = events.takeWhile((e) => e.type === "token") as { text: string }[];
            const text = more.reduce((all, e) => all + e.text, event.text);
            await send({ token: text, done: false });
            lastWrite = performance.now();
          } else {
            await send(final(event.task, false));
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

/**
 * The final event of a finished task whose large result is kept only as a summary: an
 * error, retryable (a relay runs the task again elsewhere rather than pass a cut result on).
 */
function forgotten(task: TaskRecord): TaskStreamEvent {
  const bytes = (task.result as { bytes: number }).bytes;
  return {
    error: `The result of task ${task.task_id} (${bytes} bytes) is no longer kept whole; ` +
      "run the task again",
    done: true,
    node_id: task.node_id,
    retryable: true,
  };
}
