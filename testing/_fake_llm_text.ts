/** Deterministic text for the fake model server: replies, tokens, word counts, embeddings. */

import type { FakeLlmOptions, FakeMessage } from "./_fake_llm_types.ts";

/**
 * The fake model's reply: echoes the last user message, names the model, counts messages (and
 * images, when there are any). After tool results it answers from them: "Done: <result>".
 *
 * @example defaultReply([{ role: "user", content: "hi" }], "llama3.2:3b")
 * // "You said: hi. (model llama3.2:3b, 1 messages)"
 * @example defaultReply([..., { role: "tool", content: "11 degrees" }]) // "Done: 11 degrees"
 */
export function defaultReply(messages: readonly FakeMessage[], model = "fake"): string {
  if (messages.at(-1)?.role === "tool") {
    const firstResult = messages.findLastIndex((m) => m.role !== "tool") + 1;
    return `Done: ${messages.slice(firstResult).map((m) => m.content.trim()).join("; ")}`;
  }
  const lastUser = messages.findLast((m) => m.role === "user");
  const images = messages.reduce((sum, m) => sum + (m.images ?? 0), 0);
  const seen = images > 0 ? `, ${images} images` : "";
  return `You said: ${
    lastUser?.content.trim() ?? ""
  }. (model ${model}, ${messages.length} messages${seen})`;
}

/**
 * Splits a reply into streamed tokens, one per word with its leading whitespace, as real
 * servers stream " word" pieces. Joining the tokens gives back the reply exactly.
 */
export function splitTokens(text: string): string[] {
  const tokens = text.match(/\s*\S+/g) ?? [];
  const rest = text.slice(tokens.join("").length);
  if (rest === "") return tokens;
  if (tokens.length === 0) return [rest];
  tokens[tokens.length - 1] += rest;
  return tokens;
}

/** Number of whitespace-separated words: the fake server's token count. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== "").length;
}

/** Words in every message: the prompt's token count. */
export function messageWords(messages: readonly FakeMessage[]): number {
  return messages.reduce((sum, m) => sum + countWords(m.content), 0);
}

/** A request body (or a field of one) as a record; {} when it is not an object. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? value as Record<string, unknown> : {};
}

/**
 * Reads chat messages from a request body, flattening OpenAI content parts to their text.
 *
 * @returns the messages, or undefined when `messages` is present but not a list of objects
 */
export function readMessages(value: unknown): FakeMessage[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const messages: FakeMessage[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) return undefined;
    const { role, content, images } = item as {
      role?: unknown;
      content?: unknown;
      images?: unknown;
    };
    const message: FakeMessage = {
      // Ollama lowercases roles as it reads them.
      role: typeof role === "string" ? role.toLowerCase() : "",
      content: contentText(content),
    };
    const count = (Array.isArray(images) ? images.length : 0) + imageParts(content);
    if (count > 0) message.images = count;
    messages.push(message);
  }
  return messages;
}

function imageParts(content: unknown): number {
  if (!Array.isArray(content)) return 0;
  return content.filter((part) => asRecord(part).type === "image_url").length;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part as { type?: unknown; text?: unknown } | null))
    .filter((part) => part?.type === "text" && typeof part.text === "string")
    .map((part) => part?.text as string)
    .join("\n");
}

/**
 * Reads an embedding request's `input`: one string or a list of strings.
 *
 * @returns the texts (none when `input` is absent), or undefined for any other shape
 */
export function readInputs(input: unknown): string[] | undefined {
  if (input === undefined || input === null) return [];
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.every((item) => typeof item === "string")) return input;
  return undefined;
}

/**
 * Embeds every input with the request's `dimensions` when it asks for a positive whole
 * number, else the server's `embeddingDimensions`.
 */
export function embedAll(
  inputs: readonly string[],
  requested: unknown,
  options: FakeLlmOptions,
): number[][] {
  const dimensions = Number.isInteger(requested) && (requested as number) > 0
    ? requested as number
    : options.embeddingDimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  return inputs.map((text) => fakeEmbedding(text, dimensions));
}

/** Small enough to read in a failing assertion, big enough to keep word collisions rare. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 64;

/**
 * A deterministic embedding: a signed, hashed bag of lowercased words, L2-normalised.
 * Texts sharing words point the same way (high cosine); unrelated texts are near 0.
 *
 * @param text any text; without words it maps to one fixed unit vector
 * @param dimensions vector length
 * @returns a unit-length vector of `dimensions` numbers
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [""];
  for (const word of words) {
    const hash = fnv1a(word);
    const index = hash % dimensions;
    // The top bit picks the sign, so colliding words cancel as often as they add up.
    vector[index] = (vector[index] ?? 0) + (hash & 0x80000000 ? -1 : 1);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[fnv1a("") % dimensions] = 1;
    return vector;
  }
  return vector.map((x) => x / norm);
}

/** 32-bit FNV-1a over UTF-16 code units: tiny, stable and well spread. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
