/**
 * Reading a `POST /api/chat` body as Ollama documents it: `model`, `messages` (roles
 * system, user, assistant; `content` text), `stream` (default true), `options.temperature`,
 * `options.num_predict`. These are the `mycoswarm` model's plain requests, answered by the
 * pipeline itself; one with anything else (`tools`, `format`, `images`, `keep_alive`, other
 * options) is passed through to the answering model instead (pipeline_pass_through.ts).
 * Errors name the field.
 *
 * @module
 */

import { invalidField, optionalInteger, optionalNumber } from "../core/mod.ts";
import { parseJsonObject } from "./_json_body.ts";
import { type ChatRequestFields, checkCommonFields, MAX_CHAT_MESSAGES } from "./chat_body.ts";
import type { ChatServiceMessage } from "../chat/mod.ts";

/** The checked request; `loadOnly` for no messages, Ollama's "load the model" request. */
export type OllamaChatBody = ChatRequestFields & { loadOnly?: true };

/**
 * Parses the body text; `sessionHeader` is the `X-Mycoswarm-Session` header, if sent.
 *
 * @throws MycoError `invalid_input` (400) naming the field
 */
export function parseOllamaChatBody(
  text: string,
  sessionHeader: string | undefined,
): OllamaChatBody {
  const body = parseJsonObject(text);
  const raw = body.messages ?? [];
  if (Array.isArray(raw) && raw.length === 0) {
    const model = typeof body.model === "string" && body.model !== "" ? body.model : null;
    return { messages: [], model, stream: false, session: null, loadOnly: true };
  }
  if (!Array.isArray(raw) || raw.length > MAX_CHAT_MESSAGES) {
    throw invalidField("messages", `must be a list of 1 to ${MAX_CHAT_MESSAGES} messages`);
  }
  const messages: ChatServiceMessage[] = [];
  raw.forEach((m, i) => {
    const { role, content, images } = (m ?? {}) as Record<string, unknown>;
    const field = `messages[${i}]`;
    if (role !== "system" && role !== "user" && role !== "assistant" && role !== "tool") {
      throw invalidField(`${field}.role`, "must be system, user, assistant or tool");
    }
    if (typeof content !== "string") throw invalidField(`${field}.content`, "must be text");
    if (Array.isArray(images) && images.length > 0) {
      throw invalidField(`${field}.images`, "are not understood: only text is");
    }
    // A tool's result is context the model was given; it reaches it as the user's words.
    if (role === "tool") messages.push({ role: "user", content: `Tool result: ${content}` });
    else messages.push({ role, content });
  });
  const common = checkCommonFields(body, messages, sessionHeader, true);
  const options = body.options ?? {};
  if (typeof options !== "object" || Array.isArray(options)) {
    throw invalidField("options", "must be an object");
  }
  const opts = options as Record<string, unknown>;
  const temperature = optionalNumber(opts, "temperature", { min: 0, max: 2 });
  const maxTokens = optionalInteger(opts, "num_predict", { min: 1, max: 1_000_000 });
  return {
    messages,
    ...common,
    ...(temperature === undefined ? {} : { temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
  };
}
