/**
 * The `mycoswarm` model with what only the answering model's own API can take — tools and
 * tool results, images, structured output (`format`, `response_format`), `think`, sampling
 * options, `num_ctx`, `keep_alive`: the pipeline prepares the turn (facts, recall,
 * procedures; the client's own system prompt kept after ours), then the client's request is
 * passed through to the answering model with that prompt in front, and the model's answer
 * reaches the client unchanged, in its wire format — tool calls included. The answer's text
 * is read off the stream as it passes, for the session and its reflection.
 *
 * @module
 */

import type { Context } from "hono";
import type { AnsweredTurn, ChatService, ChatServiceMessage } from "../chat/mod.ts";
import { createError, type Logger } from "../core/mod.ts";
import { chatModelsBySize } from "../llm/mod.ts";
import type { ModelRouter } from "../orchestrator/mod.ts";
import {
  chatService,
  MEMORY_HEADER,
  memoryHeader,
  SESSION_HEADER,
  swarmModels,
} from "./_chat_shared.ts";
import {
  capabilitiesNeeded,
  conversationOf as conversationKey,
  isPipelineModel,
  lastWords,
  modelOf,
  passThrough,
  type ReadBody,
} from "./model_pass_through.ts";
import type { ApiDeps } from "./types.ts";

/** The wire format of a request: Ollama's `/api/chat` or OpenAI's `/v1/chat/completions`. */
export type WireFormat = "ollama" | "openai";

const PLAIN_FIELDS: Record<WireFormat, ReadonlySet<string>> = {
  ollama: new Set(["model", "messages", "stream", "options", "session"]),
  openai: new Set([
    "model",
    "messages",
    "stream",
    "stream_options",
    "temperature",
    "max_tokens",
    "max_completion_tokens",
    "user",
    "session",
  ]),
};
const PLAIN_OPTIONS = new Set(["temperature", "num_predict"]);

/**
 * True when a request carries more than text and the pipeline's own settings (temperature,
 * answer length): then it is passed through, so nothing the client sent is dropped.
 */
export function needsModelApi(json: Record<string, unknown>, format: WireFormat): boolean {
  if (Object.keys(json).some((key) => !PLAIN_FIELDS[format].has(key))) return true;
  const options = json.options;
  if (options !== undefined && options !== null && typeof options === "object") {
    if (Object.keys(options).some((key) => !PLAIN_OPTIONS.has(key))) return true;
  }
  const messages = Array.isArray(json.messages) ? json.messages : [];
  return messages.some((m) => {
    const { role, content, ...rest } = (m ?? {}) as Record<string, unknown>;
    // Text parts are text; an image part, a tool result or a tool call is for the model's API.
    const parts = Array.isArray(content) &&
      content.some((p) => (p as { type?: unknown })?.type !== "text");
    return role === "tool" || parts || Object.keys(rest).length > 0;
  });
}

/**
 * The chat routes' first step, in either wire format: a request naming a model of the swarm
 * is passed through to it; a `mycoswarm` request with more than text goes through the
 * pipeline to the answering model's own API. Null: a plain `mycoswarm` request, which the
 * route answers with the pipeline itself.
 */
export async function answerBeyondPipeline(
  c: Context,
  deps: ApiDeps,
  read: ReadBody,
  format: WireFormat,
): Promise<Response | null> {
  if (read.json.model !== undefined && !isPipelineModel(read.json.model)) {
    const model = modelOf(read.json);
    return await passThrough(c, deps, read, {
      model,
      conversation: conversationKey(c, model, read.json),
    });
  }
  if (!needsModelApi(read.json, format)) return null;
  return await answerThroughModelApi(c, deps, chatService(deps), read, format);
}

/**
 * Answers a `mycoswarm` request through the pipeline, passed through to the answering model.
 *
 * @throws MycoError `invalid_input` when no chat model of the swarm can take the request
 *   (it needs tools or vision none has); whatever the pipeline throws before the answer
 */
export async function answerThroughModelApi(
  c: Context,
  deps: ApiDeps,
  chat: ChatService,
  read: ReadBody,
  format: WireFormat,
): Promise<Response> {
  const router = deps.models;
  if (router === undefined) throw createError("not_found", "This node passes nothing through");
  const needs = capabilitiesNeeded(read.json);
  const model = await answeringModel(deps, router, needs);
  const path = c.req.path;
  // A session is a conversation; Ollama's generate sends a lone prompt, not one.
  const named = c.req.header(SESSION_HEADER) ??
    (typeof read.json.session === "string" ? read.json.session : null);
  const session = path.endsWith("/generate") ? null : named;
  const streaming = read.json.stream !== false &&
    (format === "ollama" || read.json.stream === true);
  const ready = Promise.withResolvers<Response>();
  const done = chat.answer({
    session,
    model,
    messages: textOf(conversationOf(read.json)),
    signal: c.req.raw.signal,
    answerVia: async (prompt, signal): Promise<AnsweredTurn> => {
      const body = JSON.stringify(withPrompt(read.json, prompt.model, prompt.system));
      const answered = await router.forward(prompt.model, path, {
        method: "POST",
        body,
        signal,
      }, {
        conversation: session === null ? null : `session:${session}`,
        needs,
        streamError: (node, error) => lastWords(path, node, error),
      });
      if (answered === null) {
        throw createError("model_not_found", `model '${prompt.model}' is on no node of the swarm`);
      }
      const { response } = answered;
      const [toClient, toRead] = response.body === null ? [null, null] : response.body.tee();
      const headers = new Headers(response.headers);
      const memory = memoryHeader(deps); // the answer carries no body field of ours to say it
      if (memory !== null) headers.set(MEMORY_HEADER, memory);
      ready.resolve(new Response(toClient, { status: response.status, headers }));
      const { text, broken } = await readAll(toRead);
      if (!response.ok) {
        throw createError(
          "model_failed",
          `the model server answered ${response.status}: ${text.slice(0, 300)}`,
        );
      }
      const turn = readAnswer(text, format, streaming);
      // Cut short — the client left, or the node died mid-answer: the part is kept as such.
      return { ...turn, aborted: turn.aborted || broken || (signal?.aborted ?? false) };
    },
  });
  done.catch((error) => logOnce(deps.logger, session, error));
  const endedFirst = done.then(() => {
    throw createError("model_failed", "The answer ended before the model server answered");
  });
  endedFirst.catch(() => {}); // once the answer streams, its end is the session's business
  return await Promise.race([ready.promise, endedFirst]);
}

/** The largest chat model of the swarm that has every capability in `needs`. */
async function answeringModel(
  deps: ApiDeps,
  router: ModelRouter,
  needs: readonly string[],
): Promise<string | null> {
  if (needs.length === 0) return null; // the pipeline's own pick
  for (const { name } of chatModelsBySize(swarmModels(deps))) {
    const node = router.place(name)[0]?.node;
    if (node === undefined) continue;
    const caps = await router.capabilitiesOf(node, name);
    if (caps === null || needs.every((need) => caps.includes(need))) return name;
  }
  throw createError(
    "invalid_input",
    `no chat model of the swarm has the ${needs.join(" and ")} capability this request needs`,
    { field: "model" },
  );
}

/**
 * The request's conversation: its `messages`, or for Ollama's `/api/generate` its `system`
 * and `prompt` as two messages.
 */
function conversationOf(json: Record<string, unknown>): unknown[] {
  if (Array.isArray(json.messages)) return json.messages;
  return [
    ...(typeof json.system === "string" ? [{ role: "system", content: json.system }] : []),
    { role: "user", content: json.prompt },
  ];
}

/** The conversation's words, for the pipeline and the session: text parts only. */
function textOf(raw: unknown): ChatServiceMessage[] {
  const messages: ChatServiceMessage[] = [];
  for (const m of Array.isArray(raw) ? raw : []) {
    const { role, content } = (m ?? {}) as { role?: unknown; content?: unknown };
    const text = typeof content === "string"
      ? content
      : Array.isArray(content)
      ? content.map((p) =>
        (p as { type?: unknown; text?: unknown })?.type === "text"
          ? String((p as { text?: unknown }).text ?? "")
          : ""
      ).join("")
      : "";
    if (role === "system" || role === "developer") messages.push({ role: "system", content: text });
    else if (role === "user" || role === "assistant") messages.push({ role, content: text });
  }
  if (!messages.some((m) => m.role === "user" && m.content.trim() !== "")) {
    throw createError("invalid_input", "messages must hold a user's message with text", {
      field: "messages",
    });
  }
  return messages;
}

/** The client's request with the answering model and the pipeline's prompt in front. */
function withPrompt(json: Record<string, unknown>, model: string, system: string) {
  json = { ...json };
  delete json.session; // mycoswarm's field, not the model server's
  if (!Array.isArray(json.messages)) return { ...json, model, system }; // /api/generate
  const messages = (Array.isArray(json.messages) ? json.messages : []).filter((m) => {
    const role = (m as { role?: unknown })?.role;
    return role !== "system" && role !== "developer";
  });
  return { ...json, model, messages: [{ role: "system", content: system }, ...messages] };
}

/** A body's text as far as it came: `broken` when it failed before its end. */
async function readAll(
  body: ReadableStream<Uint8Array> | null,
): Promise<{ text: string; broken: boolean }> {
  if (body === null) return { text: "", broken: false };
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
    return { text: text + decoder.decode(), broken: false };
  } catch {
    return { text, broken: true };
  }
}

/** The answer's text and token counts, read from the body the model server wrote. */
export function readAnswer(text: string, format: WireFormat, streaming: boolean): AnsweredTurn {
  const turn: AnsweredTurn = {
    text: "",
    usage: { inputTokens: null, outputTokens: null },
    aborted: false,
  };
  const events = streaming
    ? format === "ollama"
      ? text.split("\n")
      : text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6))
    : [text];
  for (const event of events) {
    if (event.trim() === "" || event.trim() === "[DONE]") continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(event);
    } catch {
      continue;
    }
    if (value.error !== undefined) {
      // The answer broke off here (a node died mid-answer): what came before is kept.
      turn.aborted = true;
      break;
    }
    if (format === "ollama") {
      const message = value.message as { content?: unknown } | undefined;
      const piece = message?.content ?? value.response; // /api/chat, /api/generate
      turn.text += typeof piece === "string" ? piece : "";
      if (typeof value.prompt_eval_count === "number") {
        turn.usage.inputTokens = value.prompt_eval_count;
      }
      if (typeof value.eval_count === "number") turn.usage.outputTokens = value.eval_count;
    } else {
      const choice = (value.choices as
        | { delta?: { content?: unknown }; message?: { content?: unknown } }[]
        | undefined)?.[0];
      const content = streaming ? choice?.delta?.content : choice?.message?.content;
      turn.text += typeof content === "string" ? content : "";
      const usage = value.usage as
        | { prompt_tokens?: unknown; completion_tokens?: unknown }
        | undefined;
      if (typeof usage?.prompt_tokens === "number") turn.usage.inputTokens = usage.prompt_tokens;
      if (typeof usage?.completion_tokens === "number") {
        turn.usage.outputTokens = usage.completion_tokens;
      }
    }
  }
  return turn;
}

function logOnce(logger: Logger | undefined, session: string | null, error: unknown): void {
  const why = error instanceof Error ? error.message : String(error);
  logger?.warn(`chat API${session ? ` (session ${session})` : ""}: ${why}`);
}
