/**
 * Ollama's native routes, shaped as ollama/ollama docs/api.md documents them: `/api/tags`,
 * `/api/version`, `/api/chat` (NDJSON unless `"stream": false`) and `/api/embed`.
 */

import { DEFAULT_MODELS, findModel, isEmbeddingOnly, ollamaTag } from "./_fake_llm_models.ts";
import {
  generationDelay,
  streamBody,
  type StreamPlan,
  type StreamTiming,
} from "./_fake_llm_stream.ts";
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

/** The version `/api/version` reports: one recent enough for every route served here. */
export const FAKE_OLLAMA_VERSION = "0.12.6";

/** Ollama's error shape: `{"error": "<message>"}`. */
export function ollamaError(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}

/** `GET /api/tags`: the local models. */
export async function ollamaTags(_body: unknown, ctx: RouteContext): Promise<Response> {
  const models = ctx.options.models ?? DEFAULT_MODELS;
  return Response.json({ models: await Promise.all(models.map(ollamaTag)) });
}

/** `GET /api/version`. */
export function ollamaVersion(): Response {
  return Response.json({ version: FAKE_OLLAMA_VERSION });
}

/** `POST /api/chat`: streams NDJSON by default, one object when `"stream": false`. */
export async function ollamaChat(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  const checked = checkModel(request, ctx);
  if (checked instanceof Response) return checked;
  const name = checked.name;
  if (isEmbeddingOnly(checked)) return ollamaError(400, `"${name}" does not support chat`);
  const messages = readMessages(request.messages);
  if (!messages) return ollamaError(400, "invalid message format");
  if (messages.length === 0) {
    // Ollama answers an empty chat by loading the model, with one object even when streaming.
    return Response.json({
      ...header(name),
      message: assistant(""),
      done_reason: "load",
      done: true,
    });
  }
  const reply = (ctx.options.reply ?? defaultReply)(messages, name);
  const tokens = splitTokens(reply);
  const final = (timing: StreamTiming, content: string) => ({
    ...header(name),
    message: assistant(content),
    done_reason: "stop",
    done: true,
    ...stats(timing, messageWords(messages), tokens.length),
  });
  if (request.stream === false) {
    const timing = await generationDelay(tokens.length, ctx.options, ctx.signal);
    return Response.json(final(timing, reply));
  }
  const plan: StreamPlan = {
    tokens,
    frame: (token) => line({ ...header(name), message: assistant(token), done: false }),
    tail: (timing) => [line(final(timing, ""))],
  };
  return new Response(streamBody(plan, ctx.options, ctx.signal), {
    headers: { "content-type": "application/x-ndjson" },
  });
}

/** `POST /api/embed`: `input` is one string or a list of them. */
export function ollamaEmbed(body: unknown, ctx: RouteContext): Response {
  const request = asRecord(body);
  const checked = checkModel(request, ctx);
  if (checked instanceof Response) return checked;
  const inputs = readInputs(request.input);
  if (!inputs) return ollamaError(400, "invalid input type");
  const started = performance.now();
  const embeddings = embedAll(inputs, request.dimensions, ctx.options);
  const total = nanoseconds(performance.now() - started) + LOAD_DURATION_NS;
  return Response.json({
    model: checked.name,
    embeddings,
    total_duration: total,
    load_duration: LOAD_DURATION_NS,
    prompt_eval_count: inputs.reduce((sum, text) => sum + countWords(text), 0),
  });
}

function checkModel(
  request: Record<string, unknown>,
  ctx: RouteContext,
): Response | Required<FakeModel> {
  const name = request.model;
  if (typeof name !== "string" || name === "") return ollamaError(400, "model is required");
  const model = findModel(ctx.options.models ?? DEFAULT_MODELS, name, "ollama");
  if (!model) return ollamaError(404, `model "${name}" not found, try pulling it first`);
  // Ollama echoes the name as the request spelled it.
  return { ...model, name };
}

function header(model: string) {
  return { model, created_at: new Date().toISOString() };
}

function assistant(content: string) {
  return { role: "assistant", content };
}

function line(value: unknown): string {
  return JSON.stringify(value) + "\n";
}

// The model is "already loaded": a fixed millisecond, as a warm Ollama reports.
const LOAD_DURATION_NS = 1_000_000;

function nanoseconds(ms: number): number {
  // Never 0: clients divide eval_count by eval_duration for tokens per second.
  return Math.max(1, Math.round(ms * 1e6));
}

/** The final object's counters; every duration in nanoseconds as docs/api.md says. */
function stats(timing: StreamTiming, prompt: number, completion: number) {
  const promptEval = nanoseconds(timing.firstToken - timing.start);
  const evaluation = nanoseconds(timing.end - timing.firstToken);
  return {
    total_duration: LOAD_DURATION_NS + promptEval + evaluation,
    load_duration: LOAD_DURATION_NS,
    prompt_eval_count: prompt,
    prompt_eval_duration: promptEval,
    eval_count: completion,
    eval_duration: evaluation,
  };
}
