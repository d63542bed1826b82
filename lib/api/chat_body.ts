/**
 * Reading a `POST /v1/chat/completions` body as OpenAI documents it: `messages` (roles
 * system, developer, user, assistant; content a string or text parts), `model`, `stream`,
 * `stream_options.include_usage`, `temperature`, `max_tokens` / `max_completion_tokens`.
 * These are the `mycoswarm` model's plain requests, answered by the pipeline itself; one with
 * any other field (tools, images, `response_format`, ...) is passed through to the answering
 * model instead (pipeline_pass_through.ts), so nothing is dropped. The session comes from the
 * `X-Mycoswarm-Session` header or a `session` field. Errors name the field.
 *
 * @module
 */

import { invalidField, optionalInteger, optionalNumber } from "../core/mod.ts";
import { parseJsonObject } from "./_json_body.ts";
import type { ChatServiceMessage } from "../chat/mod.ts";

/** Messages in one request, at most. */
export const MAX_CHAT_MESSAGES = 500;

/** What every chat wire format asks of the service, checked. */
export interface ChatRequestFields {
  messages: ChatServiceMessage[];
  model: string | null;
  stream: boolean;
  session: string | null;
  temperature?: number;
  maxTokens?: number;
}

/** The checked `/v1/chat/completions` request. */
export interface ChatBody extends ChatRequestFields {
  includeUsage: boolean;
}

/**
 * Checks what the wire formats share: the conversation ends with the user's message;
 * `model`, `stream` (default `streamDefault`) and the session name.
 *
 * @throws MycoError `invalid_input` (400) naming the field
 */
export function checkCommonFields(
  body: Record<string, unknown>,
  messages: ChatServiceMessage[],
  session: unknown,
  streamDefault: boolean,
): Pick<ChatRequestFields, "model" | "stream" | "session"> {
  const last = messages.at(-1);
  if (last?.role !== "user") {
    throw invalidField(
      `messages[${messages.length - 1}]`,
      "must be the user's message (role user)",
    );
  }
  if (last.content.trim() === "") {
    throw invalidField(`messages[${messages.length - 1}].content`, "must not be empty");
  }
  const model = body.model;
  if (model !== undefined && model !== null && (typeof model !== "string" || model === "")) {
    throw invalidField("model", "must be a model name");
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    throw invalidField("stream", "must be true or false");
  }
  if (session !== undefined && session !== null) {
    if (typeof session !== "string" || !SESSION_NAME.test(session) || session.includes("..")) {
      throw invalidField(
        "session",
        "must be 1–96 letters, digits, '.', '_' or '-' (from X-Mycoswarm-Session or `session`)",
      );
    }
  }
  return {
    model: typeof model === "string" ? model : null,
    stream: typeof body.stream === "boolean" ? body.stream : streamDefault,
    session: typeof session === "string" ? session : null,
  };
}

/** A session name: it becomes a file name (`sessions/api-<name>.json`). */
export const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/**
 * Parses the body text; `sessionHeader` is the `X-Mycoswarm-Session` header, if sent.
 *
 * @throws MycoError `invalid_input` (400) naming the field
 */
export function parseChatBody(text: string, sessionHeader: string | undefined): ChatBody {
  const body = parseJsonObject(text);
  const raw = body.messages;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_CHAT_MESSAGES) {
    throw invalidField("messages", `must be a list of 1 to ${MAX_CHAT_MESSAGES} messages`);
  }
  const messages = raw.map((m, i) => message(m, `messages[${i}]`));
  const options = body.stream_options as { include_usage?: unknown } | undefined | null;
  const common = checkCommonFields(body, messages, sessionHeader ?? body.session, false);
  const temperature = optionalNumber(body, "temperature", { min: 0, max: 2 });
  const maxTokens = optionalInteger(body, "max_completion_tokens", { min: 1, max: 1_000_000 }) ??
    optionalInteger(body, "max_tokens", { min: 1, max: 1_000_000 });
  return {
    messages,
    ...common,
    includeUsage: options?.include_usage === true,
    ...(temperature === undefined ? {} : { temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
  };
}

function message(value: unknown, field: string): ChatServiceMessage {
  const { role, content } = (value ?? {}) as { role?: unknown; content?: unknown };
  if (role !== "system" && role !== "developer" && role !== "user" && role !== "assistant") {
    throw invalidField(`${field}.role`, "must be system, developer, user or assistant");
  }
  return { role: role === "developer" ? "system" : role, content: textOf(content, field) };
}

/** A string, or the text of `[{type: "text", text}]` parts (other parts are refused). */
function textOf(content: unknown, field: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return ""; // an assistant's tool call
  if (Array.isArray(content)) {
    return content.map((part, i) => {
      const { type, text } = (part ?? {}) as { type?: unknown; text?: unknown };
      if (type !== "text" || typeof text !== "string") {
        throw invalidField(
          `${field}.content[${i}]`,
          "must be a text part: only text is understood",
        );
      }
      return text;
    }).join("");
  }
  throw invalidField(`${field}.content`, "must be text or a list of text parts");
}
