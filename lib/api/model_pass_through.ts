/**
 * Requests for a named model, passed through: the body goes unchanged to a node of the
 * swarm that has the model (the {@linkcode ModelRouter} picks it), and its answer comes back
 * unchanged — tool calls, token counts, durations, whatever the server wrote. No memory, no
 * gate, nothing added. The model `mycoswarm` is the other way to ask: the whole pipeline.
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { createError } from "../core/mod.ts";
import { timingSafeEqual } from "../discovery/mod.ts";
import { HOP_HEADER, type NodeFacts } from "../orchestrator/mod.ts";
import { presentedToken } from "./auth.ts";
import { limitBody, parseJsonObject } from "./_json_body.ts";
import { SESSION_HEADER, swarmModels } from "./_chat_shared.ts";
import type { ApiDeps } from "./types.ts";

/** Largest body of the client routes: base64 images and long prompts fit. */
export const DEFAULT_CLIENT_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Largest body a peer may pass on to this node (`X-Mycoswarm-Hop` with the swarm token), to
 * its `POST /task` or its client routes: a client's body of up to `maxClientBodyBytes` plus
 * what the pipeline adds to it (the system prompt with facts, memories, documents and web
 * pages; a client's messages again as the task's payload). Twice the client's limit, so a
 * request a client may send never fails on its way through the swarm for its size.
 */
export function hopBodyBytes(deps: Pick<ApiDeps, "maxClientBodyBytes">): number {
  return 2 * (deps.maxClientBodyBytes ?? DEFAULT_CLIENT_BODY_BYTES);
}

/** The body limit of a client route: `maxBytes`, and {@linkcode hopBodyBytes} for a peer's hop. */
export function clientBodyLimit(deps: ApiDeps, maxBytes: number): MiddlewareHandler {
  return limitBody(maxBytes, { bytes: hopBodyBytes(deps), when: (c) => fromPeer(c, deps) });
}

/** Longest model name taken: Ollama's names are far shorter. */
const MAX_MODEL_NAME = 256;

/** The model name that asks for the whole pipeline (facts, recall, procedures, sessions). */
export const PIPELINE_MODEL = "mycoswarm";

/** True for `mycoswarm` (and `mycoswarm:latest`, as Ollama clients may write it). */
export function isPipelineModel(model: unknown): boolean {
  return model === PIPELINE_MODEL || model === `${PIPELINE_MODEL}:latest`;
}

/** A request body read once: its text (forwarded as is) and its JSON. */
export interface ReadBody {
  text: string;
  json: Record<string, unknown>;
}

/** Reads the body as a JSON object (400 naming the problem when it is not one). */
export async function readBody(c: Context): Promise<ReadBody> {
  const text = await c.req.text();
  return { text, json: parseJsonObject(text) };
}

/** The `model` a body names (`name` in older Ollama clients); 400 without one. */
export function modelOf(json: Record<string, unknown>): string {
  const model = json.model ?? json.name;
  if (typeof model !== "string" || model.trim() === "") {
    throw createError(
      "invalid_input",
      "model is required: a model name of the swarm, or mycoswarm",
      { field: "model" },
    );
  }
  if (model.length > MAX_MODEL_NAME) {
    throw createError(
      "invalid_input",
      `model must be a name of at most ${MAX_MODEL_NAME} characters`,
      { field: "model" },
    );
  }
  return model;
}

/**
 * Which conversation a chat request continues, so its next request returns to the node
 * whose prompt cache is warm: the session header, else the model with the conversation's
 * opening messages (a client sends the whole conversation each time).
 */
export function conversationOf(c: Context, model: string, json: Record<string, unknown>): string {
  const session = c.req.header(SESSION_HEADER);
  if (session) return `session:${session}`;
  const messages = Array.isArray(json.messages) ? json.messages.slice(0, 2) : [json.prompt];
  return `${model}:${JSON.stringify(messages).slice(0, 2_000)}`;
}

/**
 * What the answering model must be able to do for this request, in `/api/show`'s words:
 * `tools` when tools are offered, `vision` when a message carries an image (Ollama's
 * `images`, OpenAI's `image_url` content parts).
 */
export function capabilitiesNeeded(json: Record<string, unknown>): string[] {
  const needs: string[] = [];
  if (Array.isArray(json.tools) && json.tools.length > 0) needs.push("tools");
  const messages = Array.isArray(json.messages) ? json.messages : [];
  const hasImage = Array.isArray(json.images) && json.images.length > 0 ||
    messages.some((m) => {
      const { images, content } = (m ?? {}) as { images?: unknown; content?: unknown };
      if (Array.isArray(images) && images.length > 0) return true;
      return Array.isArray(content) &&
        content.some((part) => (part as { type?: unknown })?.type === "image_url");
    });
  if (hasImage) needs.push("vision");
  return needs;
}

/**
 * True for a hop: a request a peer sent on, with the swarm token, for this node's own model
 * server. A client's hop header (a client key, a trusted network) is not one: it would skip
 * placement, `[api] pull_node` and the capability checks.
 */
export function fromPeer(c: Context, deps: Pick<ApiDeps, "token">): boolean {
  if (c.req.header(HOP_HEADER) === undefined) return false;
  const token = presentedToken(c.req.raw.headers);
  if (token === null) return false;
  const encoder = new TextEncoder();
  const [given, swarm] = [encoder.encode(token), encoder.encode(deps.token)];
  return given.length === swarm.length && timingSafeEqual(given, swarm);
}

/**
 * Passes the request on to a node that has `model` and returns its answer as is. A hop from
 * a peer is answered from this node's own model server.
 *
 * @throws MycoError `model_not_found` (404) naming the swarm's models when no node has it
 */
export async function passThrough(
  c: Context,
  deps: ApiDeps,
  body: ReadBody | null,
  options: { model: string; conversation?: string | null },
): Promise<Response> {
  const router = deps.models;
  if (router === undefined) {
    throw createError("not_found", "This node passes no requests to model servers");
  }
  const path = c.req.path;
  const request = { method: c.req.method, body: body?.text, signal: c.req.raw.signal };
  if (fromPeer(c, deps)) return await router.serveHere(path, request);
  const answer = await router.forward(options.model, path, request, {
    conversation: options.conversation ?? null,
    needs: body === null ? [] : capabilitiesNeeded(body.json),
    streamError: (node, error) => lastWords(path, node, error),
  });
  if (answer === null) {
    const names = [PIPELINE_MODEL, ...swarmModels(deps).map((m) => m.name)];
    throw createError(
      "model_not_found",
      `model '${options.model}' is on no node of the swarm; it has: ${names.join(", ")}`,
      { field: "model" },
    );
  }
  return answer.response;
}

/**
 * The last piece of a stream whose node died mid-answer, in the stream's own format: an
 * NDJSON line with Ollama's `error`, or an OpenAI error event.
 */
export function lastWords(path: string, node: NodeFacts, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  const message = `node ${node.hostname} (${node.nodeId}) vanished mid-answer: ${why}; ` +
    "the partial answer is kept";
  if (!path.startsWith("/v1/")) return `${JSON.stringify({ error: message })}\n`;
  return `data: ${
    JSON.stringify({ error: { message, type: "server_error", code: "node_lost" } })
  }\n\n`;
}
