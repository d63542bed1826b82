/**
 * An OpenAI-compatible server's answers in Ollama's shapes: a `chat.completion` as one
 * `/api/chat` or `/api/generate` object, `chat.completion.chunk` events as NDJSON lines, an
 * embedding list as `/api/embed`'s or `/api/embeddings`' answer. Pure: what the clock says
 * comes in. A malformed answer is a MycoError `model_failed` (the bridge answers 502).
 *
 * @module
 */

import { createError, type JsonFields, type MycoError } from "../core/mod.ts";
import { isRecord } from "./ollama_bridge_messages.ts";

/** What an answer needs besides the server's: the name to echo and the time. */
export interface AnswerContext {
  /** The model the client named (Ollama echoes it; the server's name may differ). */
  model: string;
  /** True for `/api/generate`: `response` instead of `message`. */
  generate: boolean;
  /** Milliseconds since the epoch, now: each line's `created_at`, the end of `total_duration`. */
  now: () => number;
  /** When the request arrived, in the same milliseconds. */
  start: number;
}

function malformed(what: string): MycoError {
  return createError(
    "model_failed",
    `the model server's answer could not be read as OpenAI's: ${what}`,
  );
}

function head(ctx: AnswerContext): JsonFields {
  return { model: ctx.model, created_at: new Date(ctx.now()).toISOString() };
}

/** A piece of the answer: `message` for chat, `response` for generate, `thinking` if any. */
function part(ctx: AnswerContext, content: string, extra: JsonFields = {}): JsonFields {
  if (ctx.generate) {
    const thinking = extra.thinking === undefined ? {} : { thinking: extra.thinking };
    return { ...head(ctx), response: content, ...thinking };
  }
  return { ...head(ctx), message: { role: "assistant", content, ...extra } };
}

/** A streamed piece: `done: false`. */
function piece(ctx: AnswerContext, content: string, extra: JsonFields = {}): JsonFields {
  return { ...part(ctx, content, extra), done: false };
}

/** The last fields of an answer: why it stopped, how long it took, how many tokens. */
function stats(ctx: AnswerContext, finish: unknown, usage: unknown, timings: unknown): JsonFields {
  const out: JsonFields = {
    done: true,
    done_reason: finish === "length" ? "length" : "stop",
    total_duration: Math.max(0, Math.round((ctx.now() - ctx.start) * 1e6)),
  };
  const u = isRecord(usage) ? usage : {};
  // llama.cpp server adds `timings` in milliseconds: Ollama's durations are nanoseconds.
  const t = isRecord(timings) ? timings : {};
  if (typeof u.prompt_tokens === "number") out.prompt_eval_count = u.prompt_tokens;
  if (typeof t.prompt_ms === "number") out.prompt_eval_duration = Math.round(t.prompt_ms * 1e6);
  if (typeof u.completion_tokens === "number") out.eval_count = u.completion_tokens;
  if (typeof t.predicted_ms === "number") out.eval_duration = Math.round(t.predicted_ms * 1e6);
  return out;
}

/** A call's JSON-string arguments as Ollama's object; unparseable text is kept as text. */
function parsedArguments(args: string): unknown {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    return args; // clients such as Home Assistant repair arguments that arrive as strings
  }
}

function ollamaToolCalls(calls: readonly { name: string; args: string }[]): JsonFields[] {
  return calls.map((c) => ({ function: { name: c.name, arguments: parsedArguments(c.args) } }));
}

function reasoningOf(value: JsonFields): string | undefined {
  const r = value.reasoning_content ?? value.reasoning;
  return typeof r === "string" && r !== "" ? r : undefined;
}

/**
 * A whole `chat.completion` as Ollama's answer to `/api/chat` or `/api/generate`.
 *
 * @throws MycoError `model_failed` when the answer is not a chat completion
 */
export function chatAnswerToOllama(answer: unknown, ctx: AnswerContext): JsonFields {
  if (!isRecord(answer) || !Array.isArray(answer.choices)) throw malformed("no choices");
  const choice = answer.choices[0];
  if (!isRecord(choice) || !isRecord(choice.message)) throw malformed("no message");
  const message = choice.message;
  const content = message.content ?? "";
  if (typeof content !== "string") throw malformed("message.content is not text");
  const extra: JsonFields = {};
  const thinking = reasoningOf(message);
  if (thinking !== undefined) extra.thinking = thinking;
  if (!ctx.generate && message.tool_calls !== undefined && message.tool_calls !== null) {
    if (!Array.isArray(message.tool_calls)) throw malformed("tool_calls is not a list");
    const calls = message.tool_calls.map((call) => {
      const fn = isRecord(call) ? call.function : undefined;
      if (!isRecord(fn) || typeof fn.name !== "string") throw malformed("a tool call has no name");
      const args = fn.arguments ?? "";
      return { name: fn.name, args: typeof args === "string" ? args : JSON.stringify(args) };
    });
    if (calls.length > 0) extra.tool_calls = ollamaToolCalls(calls);
  }
  return {
    ...part(ctx, content, extra),
    ...stats(ctx, choice.finish_reason, answer.usage, answer.timings),
  };
}

/** Ollama's answer to a request with nothing to ask (no prompt, no messages): loaded. */
export function loadAnswer(ctx: AnswerContext): JsonFields {
  return { ...part(ctx, ""), done: true, done_reason: "load" };
}

/**
 * An OpenAI embedding list as Ollama's answer: `{model, embeddings, total_duration,
 * prompt_eval_count}` for `/api/embed`, `{embedding}` for the legacy `/api/embeddings`.
 *
 * @throws MycoError `model_failed` when the answer is not a list of number vectors
 */
export function embedAnswerToOllama(
  answer: unknown,
  ctx: Omit<AnswerContext, "generate"> & { legacy: boolean },
): JsonFields {
  if (!isRecord(answer) || !Array.isArray(answer.data)) throw malformed("no data");
  const rows = answer.data.map((row, i) => {
    if (!isRecord(row) || !Array.isArray(row.embedding)) throw malformed("an item has no vector");
    if (!row.embedding.every((x) => typeof x === "number")) {
      throw malformed("a vector is not a list of numbers");
    }
    return { index: typeof row.index === "number" ? row.index : i, vector: row.embedding };
  }).sort((a, b) => a.index - b.index);
  if (ctx.legacy) return { embedding: rows[0]?.vector ?? [] };
  const out: JsonFields = {
    model: ctx.model,
    embeddings: rows.map((r) => r.vector),
    total_duration: Math.max(0, Math.round((ctx.now() - ctx.start) * 1e6)),
  };
  const usage = isRecord(answer.usage) ? answer.usage : {};
  if (typeof usage.prompt_tokens === "number") out.prompt_eval_count = usage.prompt_tokens;
  return out;
}

/**
 * The message of an error answer, in whichever shape the server wrote it: OpenAI's
 * `{error: {message}}`, `{error: "..."}`, vLLM's `{message}`, or plain text.
 */
export function serverErrorMessage(status: number, text: string): string {
  try {
    const json: unknown = JSON.parse(text);
    if (isRecord(json)) {
      const error = json.error;
      if (typeof error === "string" && error !== "") return error;
      if (isRecord(error) && typeof error.message === "string") return error.message;
      if (typeof json.message === "string") return json.message;
    }
  } catch {
    // not JSON: the text itself
  }
  const plain = text.trim().slice(0, 500);
  return plain === "" ? `the model server answered HTTP ${status}` : plain;
}

/**
 * `chat.completion.chunk` events, one at a time, as Ollama's NDJSON lines: a `done: false`
 * line per piece of text; tool-call deltas gathered per index and sent as one
 * `message.tool_calls` line when the choice finishes; at the end, the `done: true` line with
 * the stats (usage from the `include_usage` chunk).
 */
export class OllamaStreamTranslator {
  readonly #ctx: AnswerContext;
  readonly #calls = new Map<number, { name: string; args: string }>();
  #finish: unknown = null;
  #usage: unknown = null;
  #timings: unknown = null;

  /** @param ctx the model to echo and the clock */
  constructor(ctx: AnswerContext) {
    this.#ctx = ctx;
  }

  /** True once a choice has said why it stopped (the answer is complete). */
  get finished(): boolean {
    return this.#finish !== null;
  }

  /**
   * The lines one chunk gives (often none: a role-only delta, the usage chunk).
   *
   * @throws MycoError `model_failed` for an error event or a chunk that is not one
   */
  push(chunk: unknown): JsonFields[] {
    if (!isRecord(chunk)) throw malformed("a stream event is not a JSON object");
    if (chunk.error !== undefined && chunk.error !== null) {
      const error = chunk.error;
      const why = isRecord(error) && typeof error.message === "string"
        ? error.message
        : typeof error === "string"
        ? error
        : JSON.stringify(error);
      throw createError("model_failed", `the model server failed mid-answer: ${why}`);
    }
    if (isRecord(chunk.usage)) this.#usage = chunk.usage;
    if (isRecord(chunk.timings)) this.#timings = chunk.timings;
    if (chunk.choices === undefined) return [];
    if (!Array.isArray(chunk.choices)) throw malformed("choices is not a list");
    const choice = chunk.choices[0];
    if (choice === undefined) return []; // the include_usage chunk has no choices
    if (!isRecord(choice)) throw malformed("a choice is not an object");
    const delta = isRecord(choice.delta) ? choice.delta : {};
    const lines: JsonFields[] = [];
    const thinking = reasoningOf(delta);
    if (thinking !== undefined) lines.push(piece(this.#ctx, "", { thinking }));
    if (typeof delta.content === "string" && delta.content !== "") {
      lines.push(piece(this.#ctx, delta.content));
    }
    if (Array.isArray(delta.tool_calls)) this.#gather(delta.tool_calls);
    if (typeof choice.finish_reason === "string" && choice.finish_reason !== "") {
      this.#finish = choice.finish_reason;
      lines.push(...this.#flushCalls());
    }
    return lines;
  }

  /** The last lines: tool calls not sent yet, then `done: true` with the stats. */
  end(): JsonFields[] {
    return [
      ...this.#flushCalls(),
      { ...part(this.#ctx, ""), ...stats(this.#ctx, this.#finish, this.#usage, this.#timings) },
    ];
  }

  #gather(deltas: unknown[]): void {
    deltas.forEach((delta, position) => {
      if (!isRecord(delta)) throw malformed("a tool-call delta is not an object");
      const index = typeof delta.index === "number" ? delta.index : position;
      const call = this.#calls.get(index) ?? { name: "", args: "" };
      this.#calls.set(index, call);
      const fn = isRecord(delta.function) ? delta.function : {};
      // The name comes whole in the call's first delta; the arguments come in pieces.
      if (typeof fn.name === "string" && call.name === "") call.name = fn.name;
      if (typeof fn.arguments === "string") call.args += fn.arguments;
    });
  }

  #flushCalls(): JsonFields[] {
    if (this.#calls.size === 0 || this.#ctx.generate) return [];
    const calls = [...this.#calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
    this.#calls.clear();
    return [piece(this.#ctx, "", { tool_calls: ollamaToolCalls(calls) })];
  }
}
