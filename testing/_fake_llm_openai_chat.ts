/**
 * `POST /v1/chat/completions` as OpenAI documents it: one `chat.completion`, or
 * `chat.completion.chunk` SSE events; tool calls streamed as OpenAI streams them (the call's
 * id and name first, then argument fragments, then `finish_reason: "tool_calls"`).
 */

import { answer, readChatRequest, refusal } from "./_fake_llm_answer.ts";
import { answerTokens } from "./_fake_llm_ollama.ts";
import {
  checkModel,
  openaiError,
  SSE_DONE,
  sseEvent,
  sseResponse,
  usageOf,
} from "./_fake_llm_openai.ts";
import { generationDelay, type StreamPlan } from "./_fake_llm_stream.ts";
import { asRecord, messageWords, splitTokens } from "./_fake_llm_text.ts";
import type { RouteContext } from "./_fake_llm_types.ts";

type Piece =
  | { kind: "thinking"; text: string }
  | { kind: "content"; text: string }
  | { kind: "call"; index: number }
  | { kind: "arguments"; index: number; text: string };

// Argument fragments are this many characters, so even a short call spans several chunks.
const FRAGMENT = 8;

/** `POST /v1/chat/completions`. */
export async function openaiChat(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  const checked = checkModel(request, ctx);
  if (checked instanceof Response) return checked;
  const name = checked.name;
  const flavor = ctx.options.flavor ?? "ollama";
  const chat = readChatRequest(request, responseFormat(request), reasoning(request));
  if ("status" in chat) return openaiError(chat.status, chat.message);
  if (chat.messages.length === 0) {
    return openaiError(400, "'messages' must be a non-empty array", "invalid_value");
  }
  if (flavor === "ollama") {
    const bad = imageUrlError(request.messages);
    if (bad) return openaiError(400, bad);
  }
  const refused = refusal(checked, chat, "chat");
  if (refused) {
    return openaiError(
      refused.status,
      refused.message,
      null,
      refused.status >= 500 ? "api_error" : undefined,
    );
  }
  const result = answer(checked, chat, ctx.options);
  const calls = result.toolCalls.map((call) => ({
    id: ctx.nextCallId(),
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  // Ollama's /v1 names the reasoning `reasoning`; llama.cpp server `reasoning_content`.
  const reasoningKey = flavor === "ollama" ? "reasoning" : "reasoning_content";
  const finishReason = calls.length > 0 ? "tool_calls" : "stop";
  const completionTokens = answerTokens(result);
  const usage = usageOf(messageWords(chat.messages), completionTokens);
  const base = {
    id: ctx.nextId(),
    created: Math.floor(Date.now() / 1000),
    model: name,
    system_fingerprint: "fp_fake_llm",
  };
  if (request.stream !== true) {
    await generationDelay(completionTokens, ctx.options, ctx.signal, name);
    return Response.json({
      ...base,
      object: "chat.completion",
      choices: [{
        index: 0,
        message: {
          role: "assistant",
          content: calls.length > 0 ? null : result.content,
          ...(result.thinking ? { [reasoningKey]: result.thinking } : {}),
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason,
      }],
      usage,
    });
  }
  // With include_usage every chunk carries `usage: null` and one extra chunk carries the totals.
  const withUsage = asRecord(request.stream_options).include_usage === true;
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    sseEvent({
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(withUsage ? { usage: null } : {}),
    });
  const pieces: Piece[] = [
    ...splitTokens(result.thinking).map((text) => ({ kind: "thinking" as const, text })),
    ...calls.flatMap((call, index): Piece[] => [
      { kind: "call", index },
      ...fragments(call.function.arguments).map((text) => ({
        kind: "arguments" as const,
        index,
        text,
      })),
    ]),
    ...splitTokens(result.content).map((text) => ({ kind: "content" as const, text })),
  ];
  // OpenAI opens a tool call answer with the role and the first call in one delta.
  const opensWithCall = pieces[0]?.kind === "call";
  const plan: StreamPlan<Piece> = {
    model: name,
    tokens: pieces,
    head: opensWithCall ? [] : [chunk({ role: "assistant", content: "" }, null)],
    frame: (piece) => {
      switch (piece.kind) {
        case "thinking":
          return chunk({ [reasoningKey]: piece.text }, null);
        case "content":
          return chunk({ content: piece.text }, null);
        case "call": {
          const call = calls[piece.index]!;
          const start = {
            index: piece.index,
            id: call.id,
            type: "function",
            function: { name: call.function.name, arguments: "" },
          };
          const role = opensWithCall && piece.index === 0
            ? { role: "assistant", content: null }
            : {};
          return chunk({ ...role, tool_calls: [start] }, null);
        }
        case "arguments":
          return chunk({
            tool_calls: [{ index: piece.index, function: { arguments: piece.text } }],
          }, null);
      }
    },
    tail: () => [
      chunk({}, finishReason),
      ...(withUsage
        ? [sseEvent({ ...base, object: "chat.completion.chunk", choices: [], usage })]
        : []),
      SSE_DONE,
    ],
  };
  return sseResponse(plan, ctx);
}

function fragments(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += FRAGMENT) out.push(text.slice(i, i + FRAGMENT));
  return out;
}

/** `response_format` as Ollama's `format`: "json", a JSON schema, or none. */
function responseFormat(request: Record<string, unknown>): unknown {
  const format = asRecord(request.response_format);
  if (format.type === "json_object") return "json";
  if (format.type === "json_schema") {
    const schema = asRecord(format.json_schema).schema;
    return typeof schema === "object" && schema !== null ? schema : "json";
  }
  return undefined;
}

/** `reasoning_effort` (or Ollama's `reasoning.effort`) as `think`; "none" turns it off. */
function reasoning(request: Record<string, unknown>): unknown {
  const effort = request.reasoning_effort ?? asRecord(request.reasoning).effort;
  if (typeof effort !== "string") return undefined;
  return effort !== "none";
}

/** Ollama's /v1 takes images only as base64 data URLs; anything else is a 400. */
function imageUrlError(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (const message of messages) {
    const content = asRecord(message).content;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (asRecord(part).type !== "image_url") continue;
      const field = asRecord(part).image_url;
      const url = typeof field === "string" ? field : asRecord(field).url;
      if (typeof url !== "string") return "invalid image input";
      if (/^https?:\/\//.test(url)) {
        return "image URLs are not currently supported, please use base64 encoded data instead";
      }
      if (!/^data:(image\/(jpeg|jpg|png|webp))?;base64,/.test(url)) return "invalid image input";
    }
  }
  return undefined;
}
