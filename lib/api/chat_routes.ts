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
import {
  answerRequest,
  chatService,
  extension,
  failure,
  SESSION_HEADER,
  swarmModels,
} from "./_chat_shared.ts";
import { errorBody } from "./api_error.ts";
import { parseChatBody } from "./chat_body.ts";
import {
  clientBodyLimit,
  conversationOf,
  DEFAULT_CLIENT_BODY_BYTES,
  isPipelineModel,
  modelOf,
  passThrough,
  PIPELINE_MODEL,
  readBody,
} from "./model_pass_through.ts";
import { answerBeyondPipeline } from "./pipeline_pass_through.ts";
import { createError } from "../core/mod.ts";
import type { ChatServiceAnswer } from "../chat/mod.ts";
import type { ApiDeps } from "./types.ts";

/** A whole answer as OpenAI's `chat.completion`. */
function completionJson(id: string, created: number, answer: ChatServiceAnswer, deps: ApiDeps) {
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
    mycoswarm: extension(answer, deps),
  };
}

function usageJson(answer: ChatServiceAnswer) {
  const { inputTokens: input, outputTokens: output } = answer.usage;
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
  const maxBytes = deps.maxClientBodyBytes ?? DEFAULT_CLIENT_BODY_BYTES;

  app.post(
    "/chat/completions",
    clientBodyLimit(deps, maxBytes),
    async (c) => {
      const read = await readBody(c);
      const beyond = await answerBeyondPipeline(c, deps, read, "openai");
      if (beyond !== null) return beyond;
      const body = {
        ...parseChatBody(read.text, c.req.header(SESSION_HEADER)),
        model: null, // the pipeline picks the answering model
      };
      const { model, answer } = await answerRequest(chatService(deps), body, c.req.raw.signal);
      const id = `chatcmpl-${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
      const created = Math.floor(deps.clock.now() / 1000);
      if (!body.stream) {
        const whole = await answer.done;
        if (whole.error !== null) {
          return c.json({ ...errorBody("model_failed", failure(whole)), partial: whole.text }, 502);
        }
        return c.json(completionJson(id, created, whole, deps));
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
          await send({ ...chunk({}, "stop"), mycoswarm: extension(ended, deps) });
          const usage = usageJson(ended);
          if (body.includeUsage && usage) await send({ ...chunk({}, null), choices: [], usage });
        }
        await stream.writeSSE({ data: "[DONE]" });
      });
    },
  );

  app.get("/models", (c) => c.json({ object: "list", data: modelList(deps) }));

  app.get("/models/:id{.+}", (c) => {
    const id = c.req.param("id");
    const model = modelList(deps).find((m) => m.id === id);
    if (model === undefined) {
      throw createError("model_not_found", `The model '${id}' is on no node of the swarm`, {
        field: "model",
      });
    }
    return c.json(model);
  });

  // Requests that name a model of the swarm go, unchanged, to a node that has it.
  for (const route of ["/completions", "/embeddings"]) {
    app.post(route, clientBodyLimit(deps, maxBytes), async (c) => {
      const body = await readBody(c);
      const model = modelOf(body.json);
      if (isPipelineModel(model)) {
        throw createError(
          "invalid_input",
          `${PIPELINE_MODEL} answers on /v1/chat/completions only; name a model of the swarm`,
          { field: "model" },
        );
      }
      const conversation = route === "/completions" ? conversationOf(c, model, body.json) : null;
      return await passThrough(c, deps, body, { model, conversation });
    });
  }

  app.get("/sessions", (c) => c.json({ sessions: chatService(deps).sessions() }));

  app.post(
    "/sessions/:id/close",
    async (c) => c.json(await chatService(deps).endSession(c.req.param("id"))),
  );

  return app;
}

/** `/v1/models`: `mycoswarm` (the pipeline) when this node serves chat, then the swarm's models. */
function modelList(deps: ApiDeps) {
  const entry = (id: string, owner: string) => ({
    id,
    object: "model",
    created: 0,
    owned_by: owner,
  });
  return [
    ...(deps.chat ? [entry(PIPELINE_MODEL, PIPELINE_MODEL)] : []),
    ...swarmModels(deps).map(({ name, nodes }) => entry(name, nodes[0]?.hostname ?? "")),
  ];
}
