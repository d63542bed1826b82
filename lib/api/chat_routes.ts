/**
 * The OpenAI-compatible chat API, mounted at `/v1`, for home automation and scripts:
 * `POST /v1/chat/completions` (streaming or not) answers through the whole pipeline —
 * intent, facts, memories, documents, web — on the node of the swarm that fits;
 * `GET /v1/models` lists the swarm's models; `GET /v1/sessions` the open conversations;
 * `POST /v1/sessions/:id/close` ends one with its reflection. The swarm token is the API
 * key (`Authorization: Bearer`). Answers carry a `mycoswarm` object (session, intent,
 * sources) that OpenAI clients ignore.
 *
 * @module
 */

import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { answerRequest } from "./_answer_stream.ts";
import { limitBody } from "./_json_body.ts";
import { ApiError, errorBody } from "./api_error.ts";
import { parseChatBody } from "./chat_body.ts";
import { peerJson } from "./peer_json.ts";
import { DEFAULT_MAX_BODY_BYTES } from "./task_routes.ts";
import type { ApiDeps, ChatApi, ChatApiAnswer } from "./types.ts";

/** The header naming the conversation a request continues. */
export const SESSION_HEADER = "X-Mycoswarm-Session";

/** The chat service, or the error a client gets while there is none. */
export function chatService(deps: ApiDeps): ChatApi {
  const chat = deps.chat?.();
  if (chat === undefined) throw new ApiError(404, "not_found", "This node serves no chat API");
  if (chat === null) {
    throw new ApiError(
      503,
      "unavailable",
      "The chat API is starting or stopping; try again in a moment",
      { headers: { "Retry-After": "2" } },
    );
  }
  return chat;
}

/** What went wrong: a failure before any text, or mid-answer (the partial text was kept). */
export function failure(ended: Error | ChatApiAnswer): string {
  if (ended instanceof Error) return ended.message;
  return `${ended.error} (the partial answer was kept)`;
}

/**
 * The models of the swarm: this node's (with sizes), then those of its live peers not
 * seen yet, each with the host that has it.
 */
export function swarmModels(deps: ApiDeps): { name: string; owner: string; size?: number }[] {
  const me = deps.identity();
  const models = new Map(me.models.map((m) => [m.name, {
    name: m.name,
    owner: me.hostname,
    ...(m.size_bytes === undefined ? {} : { size: m.size_bytes }),
  }]));
  for (const peer of deps.peers.peers()) {
    if (peer.state !== "alive" && peer.state !== "suspect") continue;
    for (const name of peerJson(peer).available_models) {
      if (!models.has(name)) models.set(name, { name, owner: peer.hostname });
    }
  }
  return [...models.values()];
}

/** A whole answer as OpenAI's `chat.completion`. */
function completionJson(id: string, created: number, answer: ChatApiAnswer) {
  const usage = usageJson(answer);
  return {
    id,
    object: "chat.completion",
    created,
    model: answer.model,
    choices: [{
      index: 0,
      message: { role: "assistant", content: answer.text },
      finish_reason: "stop",
    }],
    ...(usage ? { usage } : {}),
    mycoswarm: extension(answer),
  };
}

/** The `mycoswarm` extension of an answer. */
export function extension(
  answer: ChatApiAnswer,
): Pick<ChatApiAnswer, "session" | "intent" | "sources"> {
  return { session: answer.session, intent: answer.intent, sources: answer.sources };
}

function usageJson(answer: ChatApiAnswer) {
  const { input_tokens: input, output_tokens: output } = answer.usage;
  if (input === null && output === null) return null;
  return {
    prompt_tokens: input ?? 0,
    completion_tokens: output ?? 0,
    total_tokens: (input ?? 0) + (output ?? 0),
  };
}

/** The chat routes, mounted at `/v1`. */
export function chatRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  app.post(
    "/chat/completions",
    limitBody(maxBytes),
    async (c) => {
      const body = parseChatBody(await c.req.text(), c.req.header(SESSION_HEADER));
      const { model, answer } = await answerRequest(chatService(deps), body, c.req.raw.signal);
      const id = `chatcmpl-${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
      const created = Math.floor(deps.clock.now() / 1000);
      if (!body.stream) {
        const whole = await answer.done;
        if (whole.error !== null) {
          return c.json({ ...errorBody("model_failed", failure(whole)), partial: whole.text }, 502);
        }
        return c.json(completionJson(id, created, whole));
      }

      // Until the first piece of the answer, a failure is still an HTTP error status.
      await answer.started;
      const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
      return streamSSE(c, async (stream) => {
        stream.onAbort(answer.abort);
        const send = (data: unknown) => stream.writeSSE({ data: JSON.stringify(data) });
        await send(chunk({ role: "assistant", content: "" }, null));
        for await (const text of answer.pieces()) await send(chunk({ content: text }, null));
        const ended = await answer.done.then((a) => a, (error: Error) => error);
        if (ended instanceof Error || ended.error !== null) {
          await send(errorBody("model_failed", failure(ended)));
        } else {
          await send({ ...chunk({}, "stop"), mycoswarm: extension(ended) });
          const usage = usageJson(ended);
          if (body.includeUsage && usage) await send({ ...chunk({}, null), choices: [], usage });
        }
        await stream.writeSSE({ data: "[DONE]" });
      });
    },
  );

  app.get("/models", (c) =>
    c.json({
      object: "list",
      data: swarmModels(deps).map(({ name, owner }) => ({
        id: name,
        object: "model",
        created: 0,
        owned_by: owner,
      })),
    }));

  app.get("/sessions", (c) => c.json({ sessions: chatService(deps).sessions() }));

  app.post(
    "/sessions/:id/close",
    async (c) => c.json(await chatService(deps).close(c.req.param("id"))),
  );

  return app;
}
