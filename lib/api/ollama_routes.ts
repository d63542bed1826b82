/**
 * The Ollama-compatible chat API, mounted at `/api`, for clients that speak Ollama (Home
 * Assistant's Ollama integration, Open WebUI, the `ollama` libraries): `POST /api/chat`
 * (streamed as NDJSON by default, as Ollama does), `GET /api/tags` (the swarm's models) and
 * `GET /api/version`. Answers go through the same pipeline as `/v1/chat/completions`;
 * `X-Mycoswarm-Session` names a session. Errors are Ollama's `{"error": "..."}` (the app's
 * error handler gives that shape under `/api/`). The swarm token is required as on every
 * route (`Authorization: Bearer`).
 *
 * @module
 */

import { Hono } from "hono";
import { stream as streamBody } from "hono/streaming";
import { limitBody } from "./_json_body.ts";
import {
  answerRequest,
  chatService,
  extension,
  failure,
  SESSION_HEADER,
  swarmModels,
} from "./_chat_shared.ts";
import { parseOllamaChatBody } from "./ollama_body.ts";
import { DEFAULT_MAX_BODY_BYTES } from "./task_routes.ts";
import type { ChatServiceAnswer } from "../chat/mod.ts";
import type { ApiDeps } from "./types.ts";

/** The Ollama version we answer like: its `/api/chat` and `/api/tags` formats. */
export const OLLAMA_COMPAT_VERSION = "0.12.0";

const NS_PER_MS = 1_000_000;

/** The Ollama routes, mounted at `/api`. */
export function ollamaRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  app.get("/version", (c) => c.json({ version: OLLAMA_COMPAT_VERSION }));

  app.get("/tags", (c) =>
    c.json({
      models: swarmModels(deps).map(({ name, size_bytes: size }) => ({
        name,
        model: name,
        modified_at: new Date(deps.startedAt).toISOString(),
        size: size ?? 0,
        digest: "",
        details: { format: "gguf", family: name.split(/[:\-]/)[0] ?? name },
      })),
    }));

  app.post("/chat", limitBody(maxBytes), async (c) => {
    const body = parseOllamaChatBody(await c.req.text(), c.req.header(SESSION_HEADER));
    if (body.loadOnly) {
      // Ollama loads the model and answers at once; here: check that some node has it.
      const model = await chatService(deps).chatModel(body.model);
      return c.json({
        model,
        created_at: new Date(deps.clock.now()).toISOString(),
        message: { role: "assistant", content: "" },
        done_reason: "load",
        done: true,
      });
    }
    const { model, answer } = await answerRequest(chatService(deps), body, c.req.raw.signal);
    const started = deps.clock.now();
    const line = (message: string, done: boolean) => ({
      model,
      created_at: new Date(deps.clock.now()).toISOString(),
      message: { role: "assistant", content: message },
      done,
    });
    const final = (whole: ChatServiceAnswer) => ({
      ...line(body.stream ? "" : whole.text, true),
      done_reason: "stop",
      total_duration: Math.round((deps.clock.now() - started) * NS_PER_MS),
      ...(whole.usage.inputTokens === null ? {} : { prompt_eval_count: whole.usage.inputTokens }),
      ...(whole.usage.outputTokens === null ? {} : { eval_count: whole.usage.outputTokens }),
      mycoswarm: extension(whole),
    });
    if (!body.stream) {
      const whole = await answer.done;
      if (whole.error !== null) return c.json({ error: failure(whole) }, 502);
      return c.json(final(whole));
    }
    // Until the first piece of the answer, a failure is still an HTTP error status.
    await answer.started;
    c.header("Content-Type", "application/x-ndjson");
    return streamBody(c, async (stream) => {
      stream.onAbort(answer.abort);
      const send = (value: unknown) => stream.write(`${JSON.stringify(value)}\n`);
      for await (const text of answer.pieces()) await send(line(text, false));
      const ended = await answer.done.then((a) => a, (error: Error) => error);
      if (ended instanceof Error || ended.error !== null) await send({ error: failure(ended) });
      else await send(final(ended));
    });
  });

  return app;
}
