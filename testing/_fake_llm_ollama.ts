/**
 * Ollama's native routes, shaped as ollama/ollama docs/api.md documents them: `/api/tags`,
 * `/api/version`, `/api/chat` (NDJSON unless `"stream": false`, with tool calls, structured
 * output, thinking and images) and `/api/embed`, `/api/embeddings`.
 */

import { type Answer, answer, readChatRequest, refusal } from "./_fake_llm_answer.ts";
import { DEFAULT_MODELS, findModel, type ModelInfo, ollamaTag } from "./_fake_llm_models.ts";
import { parseKeepAlive, touchModel } from "./_fake_llm_ollama_models.ts";
import {
  generationDelay,
  streamBody,
  type StreamPlan,
  type StreamTiming,
} from "./_fake_llm_stream.ts";
import {
  asRecord,
  countWords,
  embedAll,
  messageWords,
  readInputs,
  splitTokens,
} from "./_fake_llm_text.ts";
import type { FakeMessage, RouteContext } from "./_fake_llm_types.ts";

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

/** One streamed piece of an answer: a thinking token, a content token, or the tool calls. */
export type Piece =
  | { kind: "thinking"; text: string }
  | { kind: "content"; text: string }
  | { kind: "tools" };

/** The answer as streamed: thinking first, then the tool calls, then the content. */
export function answerPieces(result: Answer): Piece[] {
  return [
    ...splitTokens(result.thinking).map((text) => ({ kind: "thinking" as const, text })),
    ...(result.toolCalls.length > 0 ? [{ kind: "tools" as const }] : []),
    ...splitTokens(result.content).map((text) => ({ kind: "content" as const, text })),
  ];
}

/** Tokens the answer costs: words of thinking and content, and of each call's JSON. */
export function answerTokens(result: Answer): number {
  const calls = result.toolCalls.map((call) => countWords(JSON.stringify(call)) + 1);
  return countWords(result.thinking) + countWords(result.content) +
    calls.reduce((a, b) => a + b, 0);
}

/** `POST /api/chat`: streams NDJSON by default, one object when `"stream": false`. */
export async function ollamaChat(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  const started = startChecks(request, ctx);
  if (started instanceof Response) return started;
  const model = started;
  const name = model.name;
  const chat = readChatRequest(request, request.format, request.think);
  if ("status" in chat) return ollamaError(chat.status, chat.message);
  const refused = refusal(model, chat, "chat");
  if (refused) return ollamaError(refused.status, refused.message);
  touchModel(ctx, name, request);
  if (chat.messages.length === 0) {
    // Ollama answers an empty chat by loading (or, with keep_alive 0, unloading) the model,
    // with one object even when streaming.
    return Response.json({
      ...header(name),
      message: assistant(""),
      done_reason: ctx.loaded.has(listed(name)) ? "load" : "unload",
      done: true,
    });
  }
  const result = answer(model, chat, ctx.options);
  const toolCalls = result.toolCalls.map((call, index) => ({
    id: ctx.nextCallId(),
    function: { index, name: call.name, arguments: call.arguments },
  }));
  const evalCount = answerTokens(result);
  const final = (timing: StreamTiming, message: Record<string, unknown>) => ({
    ...header(name),
    message,
    done_reason: "stop",
    done: true,
    ...stats(timing, messageWords(chat.messages), evalCount),
  });
  if (request.stream === false) {
    const timing = await generationDelay(evalCount, ctx.options, ctx.signal, name);
    return Response.json(final(timing, {
      ...assistant(result.content),
      ...(result.thinking ? { thinking: result.thinking } : {}),
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    }));
  }
  const plan: StreamPlan<Piece> = {
    model: name,
    tokens: answerPieces(result),
    frame: (piece) => {
      const message = piece.kind === "tools"
        ? { ...assistant(""), tool_calls: toolCalls }
        : piece.kind === "thinking"
        ? { ...assistant(""), thinking: piece.text }
        : assistant(piece.text);
      return line({ ...header(name), message, done: false });
    },
    tail: (timing) => [line(final(timing, assistant("")))],
  };
  return ndjsonStream(plan, ctx);
}

/** `POST /api/embed`: `input` is one string or a list of them. */
export function ollamaEmbed(body: unknown, ctx: RouteContext): Response {
  const request = asRecord(body);
  const checked = startChecks(request, ctx);
  if (checked instanceof Response) return checked;
  const inputs = readInputs(request.input);
  if (!inputs) return ollamaError(400, "invalid input type");
  touchModel(ctx, checked.name, request);
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

/** `POST /api/embeddings`, the legacy route: one `prompt`, one `embedding`. */
export function ollamaEmbeddings(body: unknown, ctx: RouteContext): Response {
  const request = asRecord(body);
  const checked = startChecks(request, ctx);
  if (checked instanceof Response) return checked;
  touchModel(ctx, checked.name, request);
  const prompt = typeof request.prompt === "string" ? request.prompt : "";
  // An empty prompt only loads the model.
  if (prompt === "") return Response.json({ embedding: [] });
  const [embedding] = embedAll([prompt], undefined, ctx.options);
  return Response.json({ embedding });
}

/**
 * What every model route checks first, as Ollama does: a readable `keep_alive` (a 400 in Go's
 * words), a model name, a model it has.
 *
 * @returns the model, named as the request spelled it, or the error response
 */
export function startChecks(
  request: Record<string, unknown>,
  ctx: RouteContext,
): Response | ModelInfo {
  const keepAlive = parseKeepAlive(request.keep_alive);
  if (typeof keepAlive !== "number") return ollamaError(400, keepAlive.error);
  const name = request.model;
  if (typeof name !== "string" || name === "") return ollamaError(400, "model is required");
  const model = findModel(ctx.options.models ?? DEFAULT_MODELS, name, "ollama");
  if (!model) return ollamaError(404, `model "${name}" not found, try pulling it first`);
  // Ollama echoes the name as the request spelled it.
  return { ...model, name };
}

/** Streams a plan as `application/x-ndjson`. */
export function ndjsonStream<T>(plan: StreamPlan<T>, ctx: RouteContext): Response {
  return new Response(streamBody(plan, ctx.options, ctx.signal), {
    headers: { "content-type": "application/x-ndjson" },
  });
}

function listed(name: string): string {
  return name.includes(":") ? name : `${name}:latest`;
}

/** `model` and `created_at`, the fields every chat and generate object starts with. */
export function header(model: string) {
  return { model, created_at: new Date().toISOString() };
}

function assistant(content: string) {
  return { role: "assistant", content };
}

/** One NDJSON line. */
export function line(value: unknown): string {
  return JSON.stringify(value) + "\n";
}

// The model is "already loaded": a fixed millisecond, as a warm Ollama reports.
const LOAD_DURATION_NS = 1_000_000;

function nanoseconds(ms: number): number {
  // Never 0: clients divide eval_count by eval_duration for tokens per second.
  return Math.max(1, Math.round(ms * 1e6));
}

/** The final object's counters; every duration in nanoseconds as docs/api.md says. */
export function stats(timing: StreamTiming, prompt: number, completion: number) {
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

/** The prompt of `/api/generate` as chat messages: its `system`, then the user's `prompt`. */
export function generateMessages(request: Record<string, unknown>): FakeMessage[] {
  const messages: FakeMessage[] = [];
  if (typeof request.system === "string" && request.system !== "") {
    messages.push({ role: "system", content: request.system });
  }
  const user: FakeMessage = {
    role: "user",
    content: typeof request.prompt === "string" ? request.prompt : "",
  };
  if (Array.isArray(request.images) && request.images.length > 0) {
    user.images = request.images.length;
  }
  messages.push(user);
  return messages;
}
