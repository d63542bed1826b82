/**
 * The task handlers of a node, by task type. Each gets the model client injected; web
 * search and fetch arrive with issue 6 and fail with a clear message until then.
 *
 * @module
 */

import { type Clock, type Fetch, optionalString, requireOne } from "../core/mod.ts";
import { classifyIntent, gateComplete, type IntentDecision } from "../intent/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import { embeddingHandler } from "./embedding_handler.ts";
import { inferenceHandler } from "./inference_handler.ts";
import type { TaskHandler, TaskHandlers } from "./types.ts";
import { type WebHandlerOptions, webHandlers } from "./web_handlers.ts";

/** What the handlers need. */
export interface HandlerDeps {
  /** Runs inference and intent classification on this machine's model server. */
  client: ModelClient;
  /** For embeddings with a model other than the client's default. */
  fetch: Fetch;
  /** Times the tasks. */
  clock: Clock;
  /** The web tasks' providers, cache and SSRF policy; DuckDuckGo alone, uncached, when absent. */
  web?: WebHandlerOptions | undefined;
}

/** `ping`: `{echo: payload, message: "pong"}`, for health and round-trip checks. */
export const pingHandler: TaskHandler = {
  run: (payload) => Promise.resolve({ echo: payload, message: "pong" }),
};

/** `intent_classify`: `{message}` → the gate's {@linkcode IntentDecision}. */
export function intentHandler(deps: { client: ModelClient; clock: Clock }): TaskHandler {
  const messageOf = (payload: Record<string, unknown>) => {
    requireOne(payload, ["message"], { parent: "payload" });
    return optionalString(payload, "message", { nonEmpty: true, parent: "payload" })!;
  };
  return {
    validate: (payload) => void messageOf(payload),
    async run(payload, ctx): Promise<IntentDecision> {
      const message = messageOf(payload);
      const gate = await deps.client.roles().then((r) => r.gate, () => null);
      return await classifyIntent(message, {
        clock: deps.clock,
        signal: ctx.signal,
        complete: gate === null ? null : gateComplete(deps.client, gate),
      });
    },
  };
}

/**
 * Every handler of this node.
 *
 * @example
 * ```ts
 * const handlers = createHandlers({ client, fetch, clock: systemClock });
 * const queue = new TaskQueue({ handlers, nodeId, clock: systemClock });
 * ```
 */
export function createHandlers(deps: HandlerDeps): TaskHandlers {
  return {
    ping: pingHandler,
    inference: inferenceHandler(deps),
    embedding: embeddingHandler(deps),
    intent_classify: intentHandler(deps),
    ...webHandlers(deps),
  };
}
