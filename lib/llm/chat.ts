/**
 * Chat and embeddings through the AI SDK's OpenAI-compatible provider (`/v1`), for servers that
 * are not Ollama; Ollama's go native (ollama_native.ts).
 */

import { embedMany, streamText } from "ai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { createError, type Fetch, isMycoError, redactUrl } from "../core/mod.ts";
import type { ChatMessage, ModelServer, Usage } from "./types.ts";
import { unreachableMessage } from "./model_server.ts";
import { ollamaEmbed } from "./ollama_native.ts";

// The SDK would print its warnings to the console; ours go through our own logger.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

/** One chat request. */
export interface ChatRequest {
  /** The model to answer with, already resolved to an installed one. */
  model: string;
  /** The conversation so far, oldest first. */
  messages: readonly ChatMessage[];
  /** The system prompt. */
  instructions?: string;
  /** How adventurous the sampling is. @default 0.7 */
  temperature?: number;
  /** A cap on the answer's length, so short calls stay short. */
  maxOutputTokens?: number;
  /** Called with each piece of text as it arrives. */
  onText?: (text: string) => void;
  /** Stops the stream, e.g. on Ctrl-C; what came so far is kept. */
  signal?: AbortSignal;
}

/** A finished (or interrupted) answer. */
export interface ChatAnswer {
  /** The whole answer text. */
  text: string;
  /** The model that answered, for the transcript. */
  model: string;
  /** Token counts, when the server reports them. */
  usage: Usage;
  /** True when the signal stopped the answer early; `text` holds what came. */
  aborted: boolean;
}

function provider(server: ModelServer, fetch: Fetch) {
  return createOpenAICompatible({
    name: server.kind === "ollama" ? "ollama" : "openai-compatible",
    baseURL: server.apiBase,
    ...(server.apiKey ? { apiKey: server.apiKey } : {}),
    includeUsage: true,
    fetch,
  });
}

/**
 * Streams one answer through `/v1/chat/completions`. Text reaches `onText` as it comes.
 *
 * @throws MycoError `model_failed` (or `model_server_unreachable`) when the
 * server fails, even mid-stream; the text received so far went to `onText`.
 */
export async function streamChat(
  server: ModelServer,
  request: ChatRequest,
  fetch: Fetch,
): Promise<ChatAnswer> {
  const result = streamText({
    model: provider(server, fetch).chatModel(request.model),
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    ...(request.instructions ? { instructions: request.instructions } : {}),
    temperature: request.temperature ?? 0.7,
    ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
    ...(request.signal ? { abortSignal: request.signal } : {}),
    maxRetries: 0,
    // Errors arrive as "error" parts below; without this the SDK also prints them.
    onError: () => {},
  });
  let text = "";
  let usage: Usage = { inputTokens: null, outputTokens: null };
  let aborted = false;
  try {
    for await (const part of result.fullStream) {
      if (part.type === "text-delta") {
        text += part.text;
        request.onText?.(part.text);
      } else if (part.type === "finish") {
        usage = {
          inputTokens: part.totalUsage.inputTokens ?? null,
          outputTokens: part.totalUsage.outputTokens ?? null,
        };
      } else if (part.type === "abort") {
        aborted = true;
      } else if (part.type === "error") {
        throw part.error;
      }
    }
  } catch (error) {
    if (request.signal?.aborted) return { text, model: request.model, usage, aborted: true };
    throw modelError(server, error, text.length > 0);
  }
  return { text, model: request.model, usage, aborted };
}

/**
 * Embeds texts: Ollama's `/api/embed`, or `/v1/embeddings` with one request per SDK batch.
 *
 * @returns one vector per text, in order
 */
export async function embedTexts(
  server: ModelServer,
  request: { model: string; texts: readonly string[]; signal?: AbortSignal | undefined },
  fetch: Fetch,
): Promise<number[][]> {
  if (server.kind === "ollama") return ollamaEmbed(server, request, fetch);
  const { model, texts, signal } = request;
  try {
    const { embeddings } = await embedMany({
      model: provider(server, fetch).embeddingModel(model),
      values: [...texts],
      maxRetries: 0,
      ...(signal ? { abortSignal: signal } : {}),
    });
    return embeddings;
  } catch (error) {
    throw modelError(server, error, false);
  }
}

/** Turns whatever the SDK or fetch threw into a message a person can act on. */
function modelError(server: ModelServer, error: unknown, midStream: boolean) {
  if (isMycoError(error)) return error;
  const err = error as { statusCode?: number; message?: string; responseBody?: string };
  const cause = (error as { cause?: unknown })?.cause;
  if (!midStream && err?.statusCode === undefined && isConnectionError(error, cause)) {
    return createError("model_server_unreachable", unreachableMessage(server), { cause: error });
  }
  if (midStream && (err?.statusCode === undefined || err.statusCode < 300)) {
    return createError(
      "model_failed",
      `The connection to the model server at ${redactUrl(server.url)} dropped mid-answer; ` +
        "the partial answer was kept",
      { cause: error },
    );
  }
  const where = midStream ? "stopped mid-answer" : "failed";
  const status = err?.statusCode ? ` (HTTP ${err.statusCode})` : "";
  const detail = serverMessage(err?.responseBody) ?? err?.message ?? String(error);
  return createError(
    "model_failed",
    redactUrl(`The model server at ${server.url} ${where}${status}: ${detail}`),
    { cause: error },
  );
}

function isConnectionError(error: unknown, cause: unknown): boolean {
  const text = `${(error as Error)?.message ?? ""} ${(cause as Error)?.message ?? ""} ${
    (cause as Error)?.name ?? ""
  }`;
  return /connect|ECONNREFUSED|fetch failed|ConnectionRefused|dns|os error 111/i.test(text);
}

function serverMessage(body: string | undefined): string | null {
  if (!body) return null;
  try {
    const parsed = JSON.parse(body);
    const message = parsed?.error?.message ?? parsed?.error;
    return typeof message === "string" ? message : null;
  } catch {
    return body.slice(0, 200);
  }
}
