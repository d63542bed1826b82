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
import {
  answerRequest,
  chatService,
  extension,
  failure,
  SESSION_HEADER,
  swarmModels,
} from "./_chat_shared.ts";
import {
  clientBodyLimit,
  conversationOf,
  DEFAULT_CLIENT_BODY_BYTES,
  fromPeer,
  isPipelineModel,
  modelOf,
  passThrough,
  PIPELINE_MODEL,
  readBody,
} from "./model_pass_through.ts";
import { answerBeyondPipeline, answerThroughModelApi } from "./pipeline_pass_through.ts";
import { parseOllamaChatBody } from "./ollama_body.ts";
import { createError } from "../core/mod.ts";
import type { NodeFacts } from "../orchestrator/mod.ts";
import type { ChatServiceAnswer } from "../chat/mod.ts";
import type { ApiDeps } from "./types.ts";

/** The Ollama version we answer like: its `/api/chat` and `/api/tags` formats. */
export const OLLAMA_COMPAT_VERSION = "0.12.0";

const NS_PER_MS = 1_000_000;

/** The Ollama routes, mounted at `/api`. */
export function ollamaRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const maxBytes = deps.maxClientBodyBytes ?? DEFAULT_CLIENT_BODY_BYTES;
  app.get("/version", (c) => c.json({ version: OLLAMA_COMPAT_VERSION }));

  app.get("/tags", (c) => {
    const modified = new Date(deps.startedAt).toISOString();
    const entry = (name: string, size: number, family: string) => ({
      name,
      model: name,
      modified_at: modified,
      size,
      digest: "",
      details: {
        parent_model: "",
        format: "gguf",
        family,
        families: [family],
        parameter_size: name.match(/(\d+(?:\.\d+)?)b\b/i)?.[1]?.concat("B") ?? "",
        quantization_level: "",
      },
    });
    return c.json({
      models: [
        ...(deps.chat ? [entry(PIPELINE_MODEL, 0, PIPELINE_MODEL)] : []),
        ...swarmModels(deps).map(({ name, size_bytes: size }) =>
          entry(name, size ?? 0, name.split(/[:\-]/)[0] ?? name)
        ),
      ],
    });
  });

  // Requests that name a model of the swarm go, unchanged, to a node that has it.
  for (const route of ["/generate", "/embed", "/embeddings", "/show"]) {
    app.post(route, clientBodyLimit(deps, maxBytes), async (c) => {
      const body = await readBody(c);
      const model = modelOf(body.json);
      if (route === "/show" && isPipelineModel(model)) {
        // What mycoswarm can do is what the model it answers with can do.
        const answering = await chatService(deps).chatModel(null);
        const show = { text: JSON.stringify({ model: answering }), json: { model: answering } };
        return await passThrough(c, deps, show, { model: answering });
      }
      if (route === "/generate" && isPipelineModel(model)) {
        // The prompt as a one-off question (or a session's, with the header) of the pipeline.
        return await answerThroughModelApi(c, deps, chatService(deps), body, "ollama");
      }
      if (isPipelineModel(model)) {
        throw createError(
          "invalid_input",
          `${PIPELINE_MODEL} answers questions, on /api/chat and /api/generate; ` +
            `name a model of the swarm for /api${route}`,
          { field: "model" },
        );
      }
      const conversation = route === "/generate" ? conversationOf(c, model, body.json) : null;
      return await passThrough(c, deps, body, { model, conversation });
    });
  }

  // What is loaded on each node: this node's model server's list, then every peer's.
  app.get("/ps", async (c) => {
    const router = deps.models;
    if (router === undefined || fromPeer(c, deps)) {
      return await passThrough(c, deps, null, { model: "" });
    }
    const lists = await Promise.all(
      router.nodes().map(async (node) => {
        if (node.state === "dead" || node.state === "left") return [];
        const models = await router.psOf(node);
        return models ?? [];
      }),
    );
    return c.json({ models: lists.flat() });
  });

  // A pull downloads to one node: [api] pull_node, else the one with the most VRAM.
  app.post("/pull", clientBodyLimit(deps, maxBytes), async (c) => {
    const body = await readBody(c);
    const model = modelOf(body.json);
    if (body.json.insecure === true) {
      // Plain HTTP to a registry: not for a client of a node that serves a household.
      throw createError(
        "invalid_input",
        "insecure pulls are refused: pull from a registry over HTTPS",
        {
          field: "insecure",
        },
      );
    }
    const router = deps.models;
    if (router === undefined || fromPeer(c, deps)) {
      return await passThrough(c, deps, body, { model });
    }
    const node = pullTarget(router.nodes(), deps.pullNode ?? null);
    return await router.sendTo(node, c.req.path, {
      method: "POST",
      body: body.text,
      signal: c.req.raw.signal,
    });
  });

  app.post("/chat", clientBodyLimit(deps, maxBytes), async (c) => {
    const read = await readBody(c);
    const beyond = await answerBeyondPipeline(c, deps, read, "ollama");
    if (beyond !== null) return beyond;
    const body = {
      ...parseOllamaChatBody(read.text, c.req.header(SESSION_HEADER)),
      model: null, // the pipeline picks the answering model
    };
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
      mycoswarm: extension(whole, deps),
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

/**
 * The node a pull downloads to: the one `[api] pull_node` names (by id or hostname), else
 * the live node with the most VRAM (this node on a tie).
 *
 * @throws MycoError `invalid_input` when `pull_node` names no live node
 */
function pullTarget(nodes: readonly NodeFacts[], named: string | null): NodeFacts {
  const live = nodes.filter((n) => n.state === "alive" || n.local);
  if (named !== null) {
    const node = live.find((n) => n.nodeId === named || n.hostname === named);
    if (node === undefined) {
      throw createError(
        "invalid_input",
        `[api] pull_node is ${named}, which is no live node of the swarm`,
      );
    }
    return node;
  }
  return live.reduce((best, n) =>
    n.vramMb > best.vramMb || (n.vramMb === best.vramMb && n.local) ? n : best
  );
}
