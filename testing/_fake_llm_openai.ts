/**
 * OpenAI-compatible routes as OpenAI documents them and Ollama, llama.cpp server, LM Studio
 * and vLLM serve them: `/v1/models`, `/v1/chat/completions` (SSE when `stream: true`) and
 * `/v1/embeddings`.
 */

import {
  DEFAULT_MODELS,
  findModel,
  isEmbeddingOnly,
  listedName,
  MODIFIED_AT,
} from "./_fake_llm_models.ts";
import { generationDelay, streamBody, type StreamPlan } from "./_fake_llm_stream.ts";
import {
  asRecord,
  countWords,
  defaultReply,
  embedAll,
  messageWords,
  readInputs,
  readMessages,
  splitTokens,
} from "./_fake_llm_text.ts";
import type { FakeModel, RouteContext } from "./_fake_llm_types.ts";

/**
 * OpenAI's error shape: `{"error": {"message", "type", "param", "code"}}`.
 *
 * @param code machine-readable reason, e.g. "model_not_found"; null when there is none
 */
export function openaiError(status: number, message: string, code: string | null = null): Response {
  const type = status >= 500 ? "server_error" : "invalid_request_error";
  return Response.json({ error: { message, type, param: null, code } }, { status });
}

/** `GET /v1/models`. */
export function openaiModels(_body: unknown, ctx: RouteContext): Response {
  const flavor = ctx.options.flavor ?? "ollama";
  const models = ctx.options.models ?? DEFAULT_MODELS;
  return Response.json({
    object: "list",
    data: models.map((model) => ({
      id: listedName(model.name, flavor),
      object: "model",
      created: Math.floor(Date.parse(MODIFIED_AT) / 1000),
      owned_by: flavor === "ollama" ? "library" : "system",
    })),
  });
}

/** `POST /v1/chat/completions`: one `chat.completion`, or `chat.completion.chunk` SSE events. */
export async function openaiChat(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  const checked = checkModel(request, ctx);
  if (checked instanceof Response) return checked;
  const name = checked.name;
  if (isEmbeddingOnly(checked)) return openaiError(400, `"${name}" does not support chat`);
  const messages = readMessages(request.messages);
  if (!messages || messages.length === 0) {
    return openaiError(400, "'messages' must be a non-empty array", "invalid_value");
  }
  const reply = (ctx.options.reply ?? defaultReply)(messages, name);
  const tokens = splitTokens(reply);
  const prompt = messageWords(messages);
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: tokens.length,
    total_tokens: prompt + tokens.length,
  };
  const base = {
    id: ctx.nextId(),
    created: Math.floor(Date.now() / 1000),
    model: name,
    system_fingerprint: "fp_fake_llm",
  };
  if (request.stream !== true) {
    await generationDelay(tokens.length, ctx.options, ctx.signal);
    return Response.json({
      ...base,
      object: "chat.completion",
      choices: [{
        index: 0,
        message: { role: "assistant", content: reply },
        logprobs: null,
        finish_reason: "stop",
      }],
      usage,
    });
  }
  const streamOptions = asRecord(request.stream_options);
  // With include_usage every chunk carries `usage: null` and one extra chunk carries the totals.
  const withUsage = streamOptions.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    event({
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(withUsage ? { usage: null } : {}),
    });
  const plan: StreamPlan = {
    tokens,
    head: [chunk({ role: "assistant", content: "" }, null)],
    frame: (token) => chunk({ content: token }, null),
    tail: () => [
      chunk({}, "stop"),
      ...(withUsage
        ? [event({ ...base, object: "chat.completion.chunk", choices: [], usage })]
        : []),
      "data: [DONE]\n\n",
    ],
  };
  return new Response(streamBody(plan, ctx.options, ctx.signal), {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}

/** `POST /v1/embeddings`: `input` is one string or a list of them. */
export function openaiEmbeddings(body: unknown, ctx: RouteContext): Response {
  const request = asRecord(body);
  const checked = checkModel(request, ctx);
  if (checked instanceof Response) return checked;
  const inputs = readInputs(request.input);
  if (!inputs || request.input === undefined) {
    return openaiError(400, "'input' must be a string or an array of strings", "invalid_value");
  }
  const prompt = inputs.reduce((sum, text) => sum + countWords(text), 0);
  return Response.json({
    object: "list",
    data: embedAll(inputs, request.dimensions, ctx.options).map((embedding, index) => ({
      object: "embedding",
      index,
      embedding,
    })),
    model: checked.name,
    usage: { prompt_tokens: prompt, total_tokens: prompt },
  });
}

function checkModel(
  request: Record<string, unknown>,
  ctx: RouteContext,
): Response | Required<FakeModel> {
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
  return { ...model, name };
}

function event(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}
