/**
 * OpenAI-compatible routes as OpenAI documents them and Ollama, llama.cpp server, LM Studio
 * and vLLM serve them: `/v1/models`, `/v1/models/{id}`, `/v1/completions` (SSE when
 * `stream: true`) and `/v1/embeddings`. Chat lives in `_fake_llm_openai_chat.ts`.
 */

import {
  DEFAULT_MODELS,
  findModel,
  isEmbeddingOnly,
  listedName,
  type ModelInfo,
  MODIFIED_AT,
} from "./_fake_llm_models.ts";
import { touchModel } from "./_fake_llm_ollama_models.ts";
import { generationDelay, streamBody, type StreamPlan } from "./_fake_llm_stream.ts";
import {
  asRecord,
  countWords,
  defaultReply,
  embedAll,
  readInputs,
  splitTokens,
} from "./_fake_llm_text.ts";
import type { FakeModel, RouteContext } from "./_fake_llm_types.ts";

/**
 * OpenAI's error shape: `{"error": {"message", "type", "param", "code"}}`.
 *
 * @param code machine-readable reason, e.g. "model_not_found"; null when there is none
 * @param type @default "server_error" for 5xx, else "invalid_request_error"
 */
export function openaiError(
  status: number,
  message: string,
  code: string | null = null,
  type = status >= 500 ? "server_error" : "invalid_request_error",
): Response {
  return Response.json({ error: { message, type, param: null, code } }, { status });
}

function modelObject(model: FakeModel, flavor: "ollama" | "openai") {
  return {
    id: listedName(model.name, flavor),
    object: "model",
    created: Math.floor(Date.parse(MODIFIED_AT) / 1000),
    owned_by: flavor === "ollama" ? "library" : "system",
  };
}

/** `GET /v1/models`. */
export function openaiModels(_body: unknown, ctx: RouteContext): Response {
  const flavor = ctx.options.flavor ?? "ollama";
  const models = ctx.options.models ?? DEFAULT_MODELS;
  return Response.json({
    object: "list",
    data: models.map((model) => modelObject(model, flavor)),
  });
}

/** `GET /v1/models/{id}`: one model, or 404 in the server's words. */
export function openaiModel(_body: unknown, ctx: RouteContext): Response {
  const flavor = ctx.options.flavor ?? "ollama";
  const id = decodeURIComponent(ctx.path.slice("/v1/models/".length));
  const model = findModel(ctx.options.models ?? DEFAULT_MODELS, id, flavor);
  if (model) return Response.json(modelObject(model, flavor));
  return flavor === "ollama"
    ? openaiError(404, `model '${listedName(id, flavor)}' not found`, null, "not_found_error")
    : openaiError(404, `The model '${id}' does not exist`, "model_not_found");
}

/** `POST /v1/completions`: one `text_completion`, or its chunks as SSE events. */
export async function openaiCompletions(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  const checked = checkModel(request, ctx);
  if (checked instanceof Response) return checked;
  const name = checked.name;
  if (isEmbeddingOnly(checked)) return openaiError(400, `"${name}" does not support generate`);
  const prompt = Array.isArray(request.prompt) ? request.prompt[0] : request.prompt;
  if (typeof prompt !== "string") {
    return openaiError(400, "'prompt' must be a string", "invalid_value");
  }
  const reply = (ctx.options.reply ?? defaultReply)([{ role: "user", content: prompt }], name);
  const tokens = splitTokens(reply);
  const usage = usageOf(countWords(prompt), tokens.length);
  const base = {
    id: ctx.nextId("cmpl"),
    object: "text_completion",
    created: Math.floor(Date.now() / 1000),
    model: name,
    system_fingerprint: "fp_fake_llm",
  };
  const choice = (text: string, finishReason: string | null) => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finishReason,
  });
  if (request.stream !== true) {
    await generationDelay(tokens.length, ctx.options, ctx.signal, name);
    return Response.json({ ...base, choices: [choice(reply, "stop")], usage });
  }
  const withUsage = asRecord(request.stream_options).include_usage === true;
  const extra = withUsage ? { usage: null } : {};
  const plan: StreamPlan = {
    model: name,
    tokens,
    frame: (token) => sseEvent({ ...base, choices: [choice(token, null)], ...extra }),
    tail: () => [
      sseEvent({ ...base, choices: [choice("", "stop")], ...extra }),
      ...(withUsage ? [sseEvent({ ...base, choices: [], usage })] : []),
      SSE_DONE,
    ],
  };
  return sseResponse(plan, ctx);
}

/**
 * `POST /v1/embeddings`: `input` is one string or a list of them; `encoding_format: "base64"`
 * (what the openai npm client asks for by default) gives little-endian float32 bytes in base64.
 */
export function openaiEmbeddings(body: unknown, ctx: RouteContext): Response {
  const request = asRecord(body);
  const checked = checkModel(request, ctx);
  if (checked instanceof Response) return checked;
  const inputs = readInputs(request.input);
  if (!inputs || request.input === undefined) {
    return openaiError(400, "'input' must be a string or an array of strings", "invalid_value");
  }
  const base64 = request.encoding_format === "base64";
  const prompt = inputs.reduce((sum, text) => sum + countWords(text), 0);
  return Response.json({
    object: "list",
    data: embedAll(inputs, request.dimensions, ctx.options).map((embedding, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? float32Base64(embedding) : embedding,
    })),
    model: checked.name,
    usage: { prompt_tokens: prompt, total_tokens: prompt },
  });
}

function float32Base64(vector: number[]): string {
  const bytes = new Uint8Array(new Float32Array(vector).buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The requested model, named as the request spelled it, or the error response; on the Ollama
 * flavor the model also counts as loaded for `/api/ps`.
 */
export function checkModel(
  request: Record<string, unknown>,
  ctx: RouteContext,
): Response | ModelInfo {
  const name = request.model;
  if (typeof name !== "string" || name === "") {
    return openaiError(400, "you must provide a model parameter", "missing_required_parameter");
  }
  const flavor = ctx.options.flavor ?? "ollama";
  const model = findModel(ctx.options.models ?? DEFAULT_MODELS, name, flavor);
  if (!model) {
    const message = flavor === "ollama"
      ? `model "${name}" not found, try pulling it first`
      : `The model \`${name}\` does not exist or you do not have access to it.`;
    return openaiError(404, message, "model_not_found");
  }
  if (flavor === "ollama") touchModel(ctx, name, {});
  return { ...model, name };
}

/** OpenAI's `usage` object. */
export function usageOf(prompt: number, completion: number) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}

/** One SSE event carrying JSON. */
export function sseEvent(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** The event that ends every OpenAI stream. */
export const SSE_DONE = "data: [DONE]\n\n";

/** Streams a plan as server-sent events. */
export function sseResponse<T>(plan: StreamPlan<T>, ctx: RouteContext): Response {
  return new Response(streamBody(plan, ctx.options, ctx.signal), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}
