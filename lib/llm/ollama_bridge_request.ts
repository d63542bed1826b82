/**
 * Ollama requests (`/api/chat`, `/api/generate`, `/api/embed`, `/api/embeddings`) as a plain
 * OpenAI-compatible server (llama.cpp server, LM Studio, vLLM) takes them. Pure: a field with
 * a counterpart is translated, a model-loading setting the server fixes when it starts is
 * accepted and listed as ignored, anything else is refused before anything is sent.
 *
 * @module
 */

import { invalidField, type JsonFields } from "../core/mod.ts";
import { isRecord, messagesToOpenai } from "./ollama_bridge_messages.ts";

/** An OpenAI request made from an Ollama one. */
export interface BridgedRequest {
  /** Where it goes, under the server's `/v1` base. */
  path: "/chat/completions" | "/embeddings";
  /** The OpenAI request body; null when there is nothing to ask (Ollama's "load" request). */
  body: JsonFields | null;
  /** Whether the client asked for a stream (Ollama's default: yes). */
  stream: boolean;
  /** The model the client named, echoed in every answer as Ollama does. */
  model: string;
  /** Fields accepted without effect, for the `X-Mycoswarm-Ignored` header. */
  ignored: string[];
}

/** Sampling options an OpenAI-compatible server takes per request under the same name. */
const PASSED_OPTIONS = [
  "temperature",
  "top_p",
  "top_k", // an extension llama.cpp server and vLLM accept
  "min_p", // likewise
  "seed",
  "stop",
  "frequency_penalty",
  "presence_penalty",
] as const;

/** Settings an OpenAI-compatible server fixes when it loads the model: no per-request way. */
const LOADING_OPTIONS = new Set([
  "num_ctx",
  "num_gpu",
  "num_thread",
  "num_batch",
  "main_gpu",
  "use_mmap",
  "use_mlock",
  "low_vram",
  "numa",
]);

const CHAT_FIELDS = ["model", "messages", "tools", "stream", "format", "options", "keep_alive"];
const GENERATE_FIELDS = [
  "model",
  "prompt",
  "system",
  "images",
  "stream",
  "format",
  "options",
  // Refused unless empty or false, by refuseGenerateOnly():
  "raw",
  "template",
  "context",
  "suffix",
];

/**
 * `/api/chat` or `/api/generate` as a `/v1/chat/completions` request.
 *
 * @param generate true for `/api/generate` (`system` and `prompt` become the messages)
 * @throws MycoError `invalid_input` naming the first field that has no translation
 */
export function chatRequestToOpenai(json: JsonFields, generate: boolean): BridgedRequest {
  const known = new Set([...(generate ? GENERATE_FIELDS : CHAT_FIELDS), "keep_alive", "think"]);
  if (generate) refuseGenerateOnly(json);
  for (const key of Object.keys(json)) {
    if (!known.has(key)) refuseUnknown(key);
  }
  const ignored = new Set<string>();
  const model = modelOf(json);
  const stream = streamOf(json.stream);
  const think = json.think;
  if (think !== undefined && think !== null && think !== false) {
    throw invalidField(
      "think",
      `(${JSON.stringify(think)}) has no per-request counterpart on this model server, ` +
        "which speaks only the OpenAI API: leave think out or set it to false",
    );
  }
  const messages = generate ? generateMessages(json, ignored) : messagesToOpenai(
    json.messages,
    ignored,
  );
  const body: JsonFields = { model, messages };
  if (json.tools !== undefined && json.tools !== null) {
    if (!Array.isArray(json.tools)) throw invalidField("tools", "must be an array of tools");
    if (json.tools.length > 0) body.tools = json.tools;
  }
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  const format = responseFormat(json.format);
  if (format !== undefined) body.response_format = format;
  Object.assign(body, sampling(json.options, ignored));
  if (json.keep_alive !== undefined && json.keep_alive !== null) ignored.add("keep_alive");
  return {
    path: "/chat/completions",
    body: messages.length === 0 ? null : body,
    stream,
    model,
    ignored: [...ignored],
  };
}

/**
 * `/api/embed` (`input`) or the legacy `/api/embeddings` (`prompt`) as a `/v1/embeddings`
 * request. Options have no meaning for an embedding on such a server: known ones are ignored.
 *
 * @param legacy true for `/api/embeddings`
 * @throws MycoError `invalid_input` naming the first field that has no translation
 */
export function embedRequestToOpenai(json: JsonFields, legacy: boolean): BridgedRequest {
  const fields = legacy
    ? ["model", "prompt", "options", "keep_alive"]
    : ["model", "input", "truncate", "dimensions", "options", "keep_alive"];
  for (const key of Object.keys(json)) {
    if (!fields.includes(key)) refuseUnknown(key);
  }
  const model = modelOf(json);
  const ignored = new Set<string>();
  let input: unknown;
  if (legacy) {
    if (json.prompt !== undefined && json.prompt !== null && typeof json.prompt !== "string") {
      throw invalidField("prompt", "must be a string");
    }
    input = json.prompt ?? "";
  } else {
    input = json.input;
    const isStrings = Array.isArray(input) && input.every((i) => typeof i === "string");
    if (typeof input !== "string" && !isStrings) {
      throw invalidField("input", "must be a string or an array of strings");
    }
  }
  const body: JsonFields = { model, input };
  if (!legacy && json.dimensions !== undefined && json.dimensions !== null) {
    if (!Number.isInteger(json.dimensions) || (json.dimensions as number) < 1) {
      throw invalidField("dimensions", "must be a positive integer");
    }
    body.dimensions = json.dimensions;
  }
  // Ollama cuts an input longer than the context by default; these servers cannot be asked to.
  if (!legacy && json.truncate !== false) ignored.add("truncate");
  if (json.options !== undefined && json.options !== null) {
    if (!isRecord(json.options)) throw invalidField("options", "must be an object");
    for (const [key, value] of Object.entries(json.options)) {
      if (value === undefined || value === null) continue;
      const known = LOADING_OPTIONS.has(key) || key === "num_predict" ||
        (PASSED_OPTIONS as readonly string[]).includes(key);
      if (!known) refuseOption(key);
      ignored.add(key);
    }
  }
  if (json.keep_alive !== undefined && json.keep_alive !== null) ignored.add("keep_alive");
  const empty = input === "" || (Array.isArray(input) && input.length === 0);
  return {
    path: "/embeddings",
    body: empty ? null : body,
    stream: false,
    model,
    ignored: [...ignored],
  };
}

/** Generate's `raw`, `template`, `context` and `suffix` shape the prompt the server builds. */
function refuseGenerateOnly(json: JsonFields): void {
  const why = "has no counterpart on this model server, which speaks only the OpenAI API " +
    "and builds the prompt from its own template";
  if (json.raw !== undefined && json.raw !== null && json.raw !== false) {
    throw invalidField("raw", why);
  }
  for (const field of ["template", "suffix"]) {
    const value = json[field];
    if (value !== undefined && value !== null && value !== "") throw invalidField(field, why);
  }
  const context = json.context;
  if (context !== undefined && context !== null) {
    if (!Array.isArray(context) || context.length > 0) {
      throw invalidField("context", `${why}; send the conversation to /api/chat instead`);
    }
  }
}

function refuseUnknown(key: string): never {
  throw invalidField(
    key,
    "is not a field this node can translate for its model server, which speaks only the " +
      "OpenAI API; remove it",
  );
}

function refuseOption(key: string): never {
  throw invalidField(
    `options.${key}`,
    "has no counterpart on this model server, which speaks only the OpenAI API; remove it " +
      "(translated: temperature, top_p, top_k, min_p, seed, stop, frequency_penalty, " +
      "presence_penalty, num_predict)",
  );
}

function modelOf(json: JsonFields): string {
  if (typeof json.model !== "string" || json.model.trim() === "") {
    throw invalidField("model", "is required: the name of a model");
  }
  return json.model;
}

function streamOf(stream: unknown): boolean {
  if (stream === undefined || stream === null) return true;
  if (typeof stream !== "boolean") throw invalidField("stream", "must be true or false");
  return stream;
}

/** Generate's `system` and `prompt` (with its `images`) as chat messages. */
function generateMessages(json: JsonFields, ignored: Set<string>): JsonFields[] {
  const messages: unknown[] = [];
  for (const field of ["system", "prompt"]) {
    const value = json[field];
    if (value !== undefined && value !== null && typeof value !== "string") {
      throw invalidField(field, "must be a string");
    }
  }
  if (typeof json.system === "string" && json.system !== "") {
    messages.push({ role: "system", content: json.system });
  }
  const images = json.images ?? [];
  if (!Array.isArray(images) || !images.every((i) => typeof i === "string" && i !== "")) {
    throw invalidField("images", "must be an array of base64-encoded images");
  }
  if ((typeof json.prompt === "string" && json.prompt !== "") || images.length > 0) {
    messages.push({
      role: "user",
      content: json.prompt ?? "",
      ...(images.length ? { images } : {}),
    });
  }
  // Only a system prompt and no prompt: Ollama loads the model and answers nothing either.
  if (!messages.some((m) => (m as JsonFields).role === "user")) return [];
  return messagesToOpenai(messages, ignored, "prompt");
}

/** `format`: "json" or a JSON schema. */
function responseFormat(format: unknown): JsonFields | undefined {
  if (format === undefined || format === null || format === "") return undefined;
  if (format === "json") return { type: "json_object" };
  if (isRecord(format)) {
    return { type: "json_schema", json_schema: { name: "response", schema: format } };
  }
  throw invalidField("format", 'must be "json" or a JSON schema object');
}

/** The sampling `options` in OpenAI's names; loading settings are listed in `ignored`. */
function sampling(options: unknown, ignored: Set<string>): JsonFields {
  if (options === undefined || options === null) return {};
  if (!isRecord(options)) throw invalidField("options", "must be an object");
  const out: JsonFields = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    if ((PASSED_OPTIONS as readonly string[]).includes(key)) {
      out[key] = value;
    } else if (key === "num_predict") {
      if (!Number.isInteger(value) || (value as number) < -2 || value === 0) {
        throw invalidField("options.num_predict", "must be a positive integer, or -1 or -2");
      }
      if ((value as number) > 0) out.max_tokens = value; // -1 and -2: no limit
    } else if (LOADING_OPTIONS.has(key)) {
      ignored.add(key);
    } else {
      refuseOption(key);
    }
  }
  return out;
}
