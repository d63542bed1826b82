/**
 * Ollama's API in front of a plain OpenAI-compatible server (llama.cpp server, LM Studio,
 * vLLM: only `/v1/*`). `/api/chat` and `/api/generate` become `/v1/chat/completions`,
 * `/api/embed` and `/api/embeddings` become `/v1/embeddings`, and the answers come back in
 * Ollama's shapes, streamed as NDJSON when asked. Settings the server fixes when it starts are
 * accepted and named in `X-Mycoswarm-Ignored`; anything else without a counterpart is refused
 * with a 400 before anything is sent.
 *
 * @module
 */

import {
  type Clock,
  createError,
  isMycoError,
  type JsonFields,
  type MycoError,
  redactUrl,
  systemClock,
} from "../core/mod.ts";
import { isRecord } from "./ollama_bridge_messages.ts";
import {
  type BridgedRequest,
  chatRequestToOpenai,
  embedRequestToOpenai,
} from "./ollama_bridge_request.ts";
import {
  type AnswerContext,
  chatAnswerToOllama,
  embedAnswerToOllama,
  loadAnswer,
  OllamaStreamTranslator,
  serverErrorMessage,
} from "./ollama_bridge_response.ts";
import { sseToNdjson } from "./ollama_bridge_stream.ts";
import type { ModelServer } from "./types.ts";

/** The response header naming the request fields accepted without effect. */
export const IGNORED_HEADER = "X-Mycoswarm-Ignored";

/** What the bridge needs: the server, a way to reach its `/v1` API, the clock. */
export interface OllamaBridgeOptions {
  /** The OpenAI-compatible server, for messages. */
  server: ModelServer;
  /**
   * Posts a JSON body to a `/v1/...` path of the server and returns its answer as is.
   *
   * @throws when the server cannot be reached
   */
  send: (path: string, body: string, signal?: AbortSignal) => Promise<Response>;
  /** Gives `created_at` and `total_duration`. @default systemClock */
  clock?: Clock;
}

/** What the client sent: method, body text, and the signal that fires when it goes away. */
export interface BridgedCall {
  /** The HTTP method. */
  method: string;
  /** The JSON body text. */
  body?: string | undefined;
  /** Fires when the client goes away. */
  signal?: AbortSignal | undefined;
}

const TRANSLATED: Record<string, "chat" | "generate" | "embed" | "embeddings"> = {
  "/api/chat": "chat",
  "/api/generate": "generate",
  "/api/embed": "embed",
  "/api/embeddings": "embeddings",
};

/** An answer in Ollama's error shape: `{"error": "..."}`. */
function ollamaError(status: number, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ error: message }, { status, headers });
}

/**
 * Answers an Ollama request (`path` under `/api/`) through a server that speaks only the
 * OpenAI API; `/api/ps` answers that no model is known to be loaded.
 *
 * @returns the answer in Ollama's shape: a 400 for what cannot be translated, the server's
 *   status with `{"error"}` when it fails, a 502 when its answer cannot be read
 * @throws whatever `send` throws when the server cannot be reached
 */
export async function bridgeOllama(
  path: string,
  call: BridgedCall,
  options: OllamaBridgeOptions,
): Promise<Response> {
  const clock = options.clock ?? systemClock;
  const start = clock.now();
  const route = TRANSLATED[path];
  if (path === "/api/ps" && call.method === "GET") return Response.json({ models: [] });
  if (route === undefined || call.method !== "POST") {
    return ollamaError(
      400,
      `The model server at ${redactUrl(options.server.url)} speaks only the OpenAI API, and ` +
        `${call.method} ${path} has no counterpart there; use its OpenAI routes (/v1/...)`,
    );
  }
  let bridged: BridgedRequest;
  try {
    const json = parseBody(call.body);
    bridged = route === "chat" || route === "generate"
      ? chatRequestToOpenai(json, route === "generate")
      : embedRequestToOpenai(json, route === "embeddings");
  } catch (error) {
    if (isMycoError(error) && error.code === "invalid_input") {
      return ollamaError(400, error.message);
    }
    throw error;
  }
  const headers: Record<string, string> = {};
  if (bridged.ignored.length > 0) headers[IGNORED_HEADER] = bridged.ignored.join(", ");
  const ctx: AnswerContext = {
    model: bridged.model,
    generate: route === "generate",
    now: () => clock.now(),
    start,
  };
  const embedding = route === "embed" || route === "embeddings";
  if (bridged.body === null) {
    // Nothing to ask: Ollama answers a load request, or an empty input, at once.
    const answer = route === "embed"
      ? { model: bridged.model, embeddings: [] }
      : route === "embeddings"
      ? { embedding: [] }
      : loadAnswer(ctx);
    return bridged.stream
      ? ndjsonResponse(`${JSON.stringify(answer)}\n`, headers)
      : Response.json(answer, { headers });
  }
  const response = await options.send(
    `/v1${bridged.path}`,
    JSON.stringify(bridged.body),
    call.signal,
  );
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    return ollamaError(response.status, serverErrorMessage(response.status, text), headers);
  }
  const eventStream = (response.headers.get("content-type") ?? "").includes("text/event-stream");
  if (bridged.stream && eventStream && response.body !== null) {
    const body = sseToNdjson(response.body, new OllamaStreamTranslator(ctx));
    return ndjsonResponse(body, headers);
  }
  // A whole answer (also from a server that does not stream when asked).
  try {
    const json: unknown = await response.json().catch(() => {
      throw new Error("the model server's answer is not JSON");
    });
    const answer = embedding
      ? embedAnswerToOllama(json, { ...ctx, legacy: route === "embeddings" })
      : chatAnswerToOllama(json, ctx);
    return bridged.stream
      ? ndjsonResponse(`${JSON.stringify(answer)}\n`, headers)
      : Response.json(answer, { headers });
  } catch (error) {
    return ollamaError(502, error instanceof Error ? error.message : String(error), headers);
  }
}

function ndjsonResponse(body: BodyInit, headers: Record<string, string>): Response {
  return new Response(body, {
    headers: { ...headers, "content-type": "application/x-ndjson" },
  });
}

function parseBody(text: string | undefined): JsonFields {
  let json: unknown;
  try {
    json = JSON.parse(text ?? "");
  } catch {
    throw invalidBody();
  }
  if (!isRecord(json)) throw invalidBody();
  return json;
}

function invalidBody(): MycoError {
  return createError("invalid_input", "the request body must be a JSON object");
}
