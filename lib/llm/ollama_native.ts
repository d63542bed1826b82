/**
 * Ollama's native API, as ollama/ollama docs/api.md documents it: `POST /api/chat` streamed as
 * NDJSON (one object a line, the last with `done: true` and the counters) and `POST /api/embed`.
 * Unlike `/v1`, it takes `options.num_ctx` and `keep_alive`, so a long prompt is not cut at
 * Ollama's default window.
 *
 * @module
 */

import { createError, type Fetch, isMycoError, type MycoError, redactUrl } from "../core/mod.ts";
import type { ChatAnswer, ChatRequest } from "./chat.ts";
import { unreachableMessage } from "./model_server.ts";
import type { ModelServer, Usage } from "./types.ts";

/** How to run one native chat, beyond the request itself. */
export interface OllamaChatOptions {
  /** `options.num_ctx`: the window the prompt was budgeted for. */
  contextTokens: number;
}

/** Ollama's root URL (where `/api/*` lives) for a server found by its `/api/tags`. */
export function ollamaRoot(server: ModelServer): string {
  return server.apiBase.replace(/\/v1$/, "");
}

/**
 * Streams one answer from `POST /api/chat`. Text reaches `onText` as it comes.
 *
 * @throws MycoError `model_server_unreachable`, `model_not_found` (HTTP 404) or `model_failed`
 * (any other failure, even mid-stream; the text received so far went to `onText`)
 */
export async function ollamaChat(
  server: ModelServer,
  request: ChatRequest,
  options: OllamaChatOptions,
  fetch: Fetch,
): Promise<ChatAnswer> {
  const messages = request.instructions
    ? [{ role: "system", content: request.instructions }, ...request.messages]
    : request.messages;
  const body = {
    model: request.model,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    stream: true,
    options: {
      num_ctx: options.contextTokens,
      temperature: request.temperature ?? 0.7,
      ...(request.maxOutputTokens ? { num_predict: request.maxOutputTokens } : {}),
    },
    ...(server.keepAlive !== null ? { keep_alive: server.keepAlive } : {}),
  };
  let text = "";
  let usage: Usage = { inputTokens: null, outputTokens: null };
  const stopped = (): ChatAnswer => ({ text, model: request.model, usage, aborted: true });
  let response: Response;
  try {
    response = await post(server, "/api/chat", body, request.signal, fetch);
  } catch (error) {
    if (request.signal?.aborted) return stopped();
    throw error;
  }
  let done = false;
  try {
    for await (const part of ndjson(response.body!)) {
      if (typeof part.error === "string") throw failed(server, part.error, text !== "");
      const piece = part.message?.content;
      if (typeof piece === "string" && piece !== "") {
        text += piece;
        request.onText?.(piece);
      }
      if (part.done === true) {
        usage = {
          inputTokens: typeof part.prompt_eval_count === "number" ? part.prompt_eval_count : null,
          outputTokens: typeof part.eval_count === "number" ? part.eval_count : null,
        };
        done = true;
      }
    }
  } catch (error) {
    if (request.signal?.aborted) return stopped();
    if (isMycoError(error)) throw error;
    throw dropped(server, text !== "", error);
  }
  if (request.signal?.aborted) return stopped();
  if (!done) throw dropped(server, text !== "", null);
  return { text, model: request.model, usage, aborted: false };
}

/** Most texts in one `/api/embed` request, as the AI SDK batches `/v1/embeddings`. */
const EMBED_BATCH = 2048;

/**
 * Embeds texts with `POST /api/embed`, one request per {@linkcode EMBED_BATCH} texts.
 *
 * @returns one vector per text, in order
 */
export async function ollamaEmbed(
  server: ModelServer,
  request: { model: string; texts: readonly string[]; signal?: AbortSignal | undefined },
  fetch: Fetch,
): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < request.texts.length; start += EMBED_BATCH) {
    const input = request.texts.slice(start, start + EMBED_BATCH);
    const body = {
      model: request.model,
      input,
      ...(server.keepAlive !== null ? { keep_alive: server.keepAlive } : {}),
    };
    const response = await post(server, "/api/embed", body, request.signal, fetch);
    let parsed: { embeddings?: unknown };
    try {
      parsed = await response.json();
    } catch (error) {
      throw dropped(server, false, error);
    }
    const embeddings = parsed?.embeddings;
    if (!Array.isArray(embeddings) || embeddings.length !== input.length) {
      throw failed(server, `/api/embed did not return ${input.length} embeddings`, false);
    }
    vectors.push(...(embeddings as number[][]));
  }
  return vectors;
}

/** POSTs JSON; a refused connection or an HTTP error becomes a MycoError. */
async function post(
  server: ModelServer,
  path: string,
  body: unknown,
  signal: AbortSignal | undefined,
  fetch: Fetch,
): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (server.apiKey) headers.authorization = `Bearer ${server.apiKey}`;
  let response: Response;
  try {
    response = await fetch(`${ollamaRoot(server)}${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw createError("model_server_unreachable", unreachableMessage(server), { cause });
  }
  if (response.ok && response.body !== null) return response;
  const text = await response.text().catch(() => "");
  const detail = errorOf(text) ?? (text.slice(0, 200) || response.statusText);
  const where = `The model server at ${redactUrl(server.url)} failed (HTTP ${response.status})`;
  if (response.status === 401 || response.status === 403) {
    throw createError("model_failed", `${where}: ${detail}`, {
      hint: "Set MYCOSWARM_LLM_API_KEY or llm.api_key",
    });
  }
  if (response.status === 404) {
    const model = (body as { model?: string }).model ?? "";
    throw createError("model_not_found", `${where}: ${detail}`, {
      hint: `Install it: \`ollama pull ${model}\``,
    });
  }
  throw createError("model_failed", `${where}: ${detail}`);
}

/** Ollama's error body is `{"error": "<message>"}`. */
function errorOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text);
    return typeof parsed?.error === "string" ? parsed.error : null;
  } catch {
    return null;
  }
}

/** An error Ollama reported as a line of the stream, e.g. the runner crashing. */
function failed(server: ModelServer, message: string, midStream: boolean): MycoError {
  const where = midStream ? "stopped mid-answer" : "failed";
  return createError(
    "model_failed",
    redactUrl(`The model server at ${server.url} ${where}: ${message}`),
  );
}

/** The stream ended, or broke, before its last (`done`) object. */
function dropped(server: ModelServer, midStream: boolean, cause: unknown): MycoError {
  return createError(
    "model_failed",
    midStream
      ? `The connection to the model server at ${redactUrl(server.url)} dropped mid-answer; ` +
        "the partial answer was kept"
      : `The connection to the model server at ${redactUrl(server.url)} dropped before the answer`,
    cause === null ? {} : { cause },
  );
}

interface ChatPart {
  message?: { content?: unknown };
  done?: unknown;
  prompt_eval_count?: unknown;
  eval_count?: unknown;
  error?: unknown;
}

/** Parses an NDJSON body into objects, one per non-empty line. */
async function* ndjson(body: ReadableStream<Uint8Array>): AsyncGenerator<ChatPart> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== "") yield JSON.parse(line);
    }
  }
  buffer += decoder.decode();
  if (buffer.trim() !== "") yield JSON.parse(buffer);
}
