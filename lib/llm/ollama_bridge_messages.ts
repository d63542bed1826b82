/**
 * Ollama chat messages as OpenAI's: `images` become `image_url` content parts with data URLs,
 * assistant `tool_calls` get ids and JSON-string arguments, and a `tool` result is matched to
 * the call it answers (OpenAI needs its `tool_call_id`; Ollama sends at most a `tool_name`).
 *
 * @module
 */

import { invalidField, type JsonFields } from "../core/mod.ts";

const ROLES = new Set(["system", "user", "assistant", "tool"]);
const MESSAGE_FIELDS = new Set([
  "role",
  "content",
  "images",
  "tool_calls",
  "tool_name",
  "tool_call_id",
  "thinking",
]);

/** True for a JSON object (not an array, not null). */
export function isRecord(value: unknown): value is JsonFields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The MIME type of a base64 image, guessed from its first bytes (PNG, GIF and WebP
 * signatures; JPEG otherwise, the usual photo).
 *
 * @example
 * ```ts
 * imageMime("iVBORw0KGgoAAAANSUhEUg"); // "image/png"
 * ```
 */
export function imageMime(base64: string): string {
  if (base64.startsWith("iVBORw0KGgo")) return "image/png";
  if (base64.startsWith("R0lGOD")) return "image/gif";
  if (base64.startsWith("UklGR")) return "image/webp";
  return "image/jpeg";
}

/** A base64 image (or a data URL already) as an OpenAI `image_url` content part. */
function imagePart(image: string): JsonFields {
  const url = image.startsWith("data:") ? image : `data:${imageMime(image)};base64,${image}`;
  return { type: "image_url", image_url: { url } };
}

/** One call an assistant message made, and whether a tool result has answered it yet. */
interface OpenCall {
  id: string;
  name: string;
  answered: boolean;
}

/**
 * Ollama's `messages` as OpenAI's.
 *
 * @param ignored collects fields dropped on purpose (an assistant's `thinking`)
 * @param field how the messages are named in errors
 * @throws MycoError `invalid_input` naming the message field that has no translation
 */
export function messagesToOpenai(
  raw: unknown,
  ignored: Set<string>,
  field = "messages",
): JsonFields[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidField(field, "must be an array of messages");
  let calls: OpenCall[] = [];
  return raw.map((message, i) => {
    const name = field === "messages" ? `messages[${i}]` : field;
    if (!isRecord(message)) throw invalidField(name, "must be an object");
    for (const key of Object.keys(message)) {
      if (!MESSAGE_FIELDS.has(key)) {
        throw invalidField(`${name}.${key}`, "has no counterpart in the OpenAI API; remove it");
      }
    }
    const role = message.role;
    if (typeof role !== "string" || !ROLES.has(role)) {
      throw invalidField(`${name}.role`, "must be system, user, assistant or tool");
    }
    const content = message.content ?? null;
    if (content !== null && typeof content !== "string") {
      throw invalidField(`${name}.content`, "must be a string");
    }
    // Reasoning of an earlier answer: OpenAI's messages have no place for it.
    if (message.thinking !== undefined && message.thinking !== null && message.thinking !== "") {
      ignored.add("messages.thinking");
    }
    const out: JsonFields = { role };
    const images = imagesOf(message.images, name);
    if (images.length > 0) {
      if (role !== "user") throw invalidField(`${name}.images`, "are taken on user messages only");
      out.content = [...(content ? [{ type: "text", text: content }] : []), ...images];
    } else out.content = content ?? "";
    if (role === "assistant") {
      const toolCalls = toolCallsOf(message.tool_calls, name, i);
      if (toolCalls.length > 0) {
        out.tool_calls = toolCalls;
        if (content === null || content === "") out.content = null;
        calls = toolCalls.map((c) => ({
          id: c.id as string,
          name: (c.function as JsonFields).name as string,
          answered: false,
        }));
      }
    } else if (message.tool_calls !== undefined && message.tool_calls !== null) {
      throw invalidField(`${name}.tool_calls`, "are taken on assistant messages only");
    }
    if (role === "tool") out.tool_call_id = answeredCall(message, calls, name);
    return out;
  });
}

function imagesOf(images: unknown, name: string): JsonFields[] {
  if (images === undefined || images === null) return [];
  if (!Array.isArray(images) || !images.every((i) => typeof i === "string" && i !== "")) {
    throw invalidField(`${name}.images`, "must be an array of base64-encoded images");
  }
  return images.map(imagePart);
}

/** Ollama's `[{function: {name, arguments: {...}}}]` as OpenAI's, with ids. */
function toolCallsOf(raw: unknown, name: string, index: number): JsonFields[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalidField(`${name}.tool_calls`, "must be an array");
  return raw.map((call, j) => {
    const where = `${name}.tool_calls[${j}]`;
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(call) || !isRecord(fn) || typeof fn.name !== "string") {
      throw invalidField(`${where}.function.name`, "is required");
    }
    const args = fn.arguments ?? {};
    // Ids are derived from the position, so the same conversation sent again reads the same.
    const id = typeof call.id === "string" && call.id !== "" ? call.id : `call_${index}_${j}`;
    return {
      id,
      type: "function",
      function: {
        name: fn.name,
        arguments: typeof args === "string" ? args : JSON.stringify(args),
      },
    };
  });
}

/** The id of the call a tool result answers: its own, else by `tool_name`, else in order. */
function answeredCall(message: JsonFields, calls: OpenCall[], name: string): string {
  if (typeof message.tool_call_id === "string" && message.tool_call_id !== "") {
    const call = calls.find((c) => c.id === message.tool_call_id);
    if (call) call.answered = true;
    return message.tool_call_id;
  }
  const open = calls.filter((c) => !c.answered);
  const call = open.find((c) => c.name === message.tool_name) ?? open[0];
  if (call === undefined) {
    throw invalidField(
      name,
      "is a tool result with no unanswered tool call of an assistant message before it",
    );
  }
  call.answered = true;
  return call.id;
}
