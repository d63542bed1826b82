/**
 * What the fake model answers, whichever API asked: text, a tool call, a JSON document or a
 * refusal, plus its thinking; and the capability checks Ollama makes before answering.
 */

import { type ModelInfo, qualifiedName } from "./_fake_llm_models.ts";
import {
  planToolCall,
  readTools,
  sampleSchema,
  spacedJson,
  subjectOf,
  type ToolCallPlan,
  type ToolSpec,
} from "./_fake_llm_json.ts";
import { asRecord, defaultReply, readMessages } from "./_fake_llm_text.ts";
import type { FakeLlmOptions, FakeMessage } from "./_fake_llm_types.ts";

/** A chat request, read the same way from either API. */
export interface ChatRequest {
  messages: FakeMessage[];
  tools: ToolSpec[];
  /** OpenAI's `tool_choice`; Ollama has none ("auto"). */
  toolChoice: "auto" | "none" | "required" | { name: string };
  /** "json", a JSON schema, or undefined for free text. */
  format: "json" | Record<string, unknown> | undefined;
  /** `think` as asked: true/false, a level counts as true, undefined when not asked. */
  think: boolean | undefined;
}

/** The model's turn. */
export interface Answer {
  /** The text, or "" for a tool call. */
  content: string;
  /** Reasoning text; "" when the model did not think. */
  thinking: string;
  /** At most one call, made instead of text. */
  toolCalls: ToolCallPlan[];
}

/** An error the API answers instead, in its own shape. */
export interface Refusal {
  status: number;
  message: string;
}

/**
 * Reads the parts both APIs share; `format` and `think` come in already mapped from each API's
 * own fields.
 *
 * @returns the request, or a 400 refusal for malformed messages or tools
 */
export function readChatRequest(
  body: Record<string, unknown>,
  format: unknown,
  think: unknown,
): ChatRequest | Refusal {
  const messages = readMessages(body.messages);
  if (!messages) return { status: 400, message: "invalid message format" };
  const tools = readTools(body.tools);
  if (!tools) return { status: 400, message: "invalid tools format" };
  return {
    messages,
    tools,
    toolChoice: readToolChoice(body.tool_choice),
    format: format === "json"
      ? "json"
      : typeof format === "object" && format !== null
      ? format as Record<string, unknown>
      : undefined,
    think: think === undefined || think === null ? undefined : think !== false,
  };
}

function readToolChoice(value: unknown): ChatRequest["toolChoice"] {
  if (value === "none" || value === "required") return value;
  const name = asRecord(asRecord(value).function).name;
  return typeof name === "string" ? { name } : "auto";
}

/**
 * The checks Ollama's chat and generate handlers make, in their order, with their messages:
 * thinking asked of a model without it, no completion (embedding models), tools offered to a
 * model without them, images for a model without vision.
 */
export function refusal(
  model: ModelInfo,
  request: Pick<ChatRequest, "messages" | "tools" | "think">,
  route: "chat" | "generate",
): Refusal | undefined {
  const can = (capability: string) => model.capabilities.includes(capability);
  if (request.think === true && !can("thinking")) {
    return { status: 400, message: `"${model.name}" does not support thinking` };
  }
  if (!can("completion")) {
    return { status: 400, message: `"${model.name}" does not support ${route}` };
  }
  if (request.tools.length > 0 && !can("tools")) {
    return { status: 400, message: `${qualifiedName(model.name)} does not support tools` };
  }
  if (request.messages.some((m) => (m.images ?? 0) > 0) && !can("vision")) {
    return { status: 500, message: "this model is missing data required for image input" };
  }
  return undefined;
}

/**
 * The fake model's answer: a call to the best-matching tool when tools are offered and the
 * user spoke last; else a JSON document when a format is asked; else the reply text. Thinking
 * models think unless asked not to, as Ollama defaults `think` to true for them.
 */
export function answer(model: ModelInfo, request: ChatRequest, options: FakeLlmOptions): Answer {
  const { messages, tools, toolChoice } = request;
  const userText = messages.findLast((m) => m.role === "user")?.content ?? "";
  const thinks = model.capabilities.includes("thinking") && request.think !== false;
  const thinking = thinks ? `The user asked: ${userText.trim()}. I will answer briefly.` : "";
  if (tools.length > 0 && messages.at(-1)?.role === "user" && toolChoice !== "none") {
    const chosen = typeof toolChoice === "object"
      ? tools.filter((tool) => tool.name === toolChoice.name)
      : tools;
    return {
      content: "",
      thinking,
      toolCalls: [planToolCall(chosen.length > 0 ? chosen : tools, userText)],
    };
  }
  const reply = (options.reply ?? defaultReply)(messages, model.name);
  let content = reply;
  if (request.format === "json") content = spacedJson({ response: reply });
  else if (request.format) content = spacedJson(sampleSchema(request.format, subjectOf(userText)));
  return { content, thinking, toolCalls: [] };
}
