/** The fake server's model catalogue: defaults, guesses from names, lookup, listing details. */

import { toHex } from "../lib/core/mod.ts";
import type { FakeModel } from "./_fake_llm_types.ts";

/** What a fresh `ollama pull` of these four would list (sizes rounded). */
export const DEFAULT_MODELS: readonly FakeModel[] = Object.freeze(([
  { name: "gemma3:1b", size_bytes: 815_000_000, family: "gemma3", parameter_size: "999.89M" },
  { name: "llama3.2:3b", size_bytes: 2_000_000_000, family: "llama", parameter_size: "3.2B" },
  { name: "qwen2.5:14b", size_bytes: 9_000_000_000, family: "qwen2", parameter_size: "14.8B" },
  {
    name: "nomic-embed-text",
    size_bytes: 274_000_000,
    family: "nomic-bert",
    parameter_size: "137M",
  },
] satisfies FakeModel[]).map((model) => Object.freeze(model)));

// A Q4_K_M GGUF takes about 0.65 bytes per parameter (llama3.2:3b → 2.0 GB).
const BYTES_PER_PARAMETER = 0.65;

/**
 * Fills in a model from its name alone: size and parameter count from the `NNb`/`NNm` in the
 * name, family from its leading letters ("bert" family for embedding models).
 *
 * Capabilities and context length follow the name too (see {@linkcode FakeModel}).
 *
 * @example guessModel("mistral:7b") // { name, size_bytes: 4_550_000_000, family: "mistral", parameter_size: "7B", capabilities: ["completion", "tools"], contextLength: 131072 }
 */
export function guessModel(name: string): ModelInfo {
  const match = name.match(/(\d+(?:\.\d+)?)([bm])(?![a-z])/i);
  const count = match ? Number(match[1]) : 1;
  const unit = match?.[2]?.toUpperCase() === "M" ? "M" : "B";
  const parameters = count * (unit === "M" ? 1e6 : 1e9);
  const family = /embed/i.test(name) ? "nomic-bert" : name.match(/^[a-z]+/i)?.[0] ?? "llama";
  const partial = {
    name,
    size_bytes: Math.round(parameters * BYTES_PER_PARAMETER),
    family: family.toLowerCase(),
    parameter_size: `${count}${unit}`,
  };
  return {
    ...partial,
    capabilities: guessCapabilities(partial),
    contextLength: guessContextLength(partial),
  };
}

/** A model with every field present. */
export type ModelInfo = Required<FakeModel>;

/** The model with every field present, guessing what the caller left out. */
export function completeModel(model: FakeModel): ModelInfo {
  const guess = guessModel(model.name);
  const partial = {
    name: model.name,
    size_bytes: model.size_bytes ?? guess.size_bytes,
    family: model.family ?? guess.family,
    parameter_size: model.parameter_size ?? guess.parameter_size,
  };
  return {
    ...partial,
    capabilities: model.capabilities ?? guessCapabilities(partial),
    contextLength: model.contextLength ?? guessContextLength(partial),
  };
}

/**
 * What Ollama's `/api/show` lists for such a model: embedding models embed; gemma and llava
 * templates have no tool calling; reasoning families think; multimodal ones see.
 */
function guessCapabilities(model: { name: string; family: string }): string[] {
  if (/bert|embed/i.test(model.family) || /embed/i.test(model.name)) return ["embedding"];
  const name = model.name.toLowerCase();
  const capabilities = ["completion"];
  if (!/^(gemma|llava|bakllava|moondream)/.test(name)) capabilities.push("tools");
  if (/^(qwen3|deepseek-r1|gpt-oss|magistral|qwq)/.test(name)) capabilities.push("thinking");
  const gemma3Size = name.match(/^gemma3n?:(\d+)b/)?.[1];
  if (
    /vision|llava|moondream|minicpm-v|qwen2\.5vl|qwen3-vl|llama4/.test(name) ||
    (gemma3Size !== undefined && Number(gemma3Size) >= 4)
  ) {
    capabilities.push("vision");
  }
  return capabilities;
}

function guessContextLength(model: { name: string; family: string }): number {
  if (/bert|embed/i.test(model.family) || /embed/i.test(model.name)) return 8192;
  if (/^gemma3:1b/i.test(model.name)) return 32768;
  return 131072;
}

/** Whether the model lists `capability` (e.g. "tools") in `/api/show`. */
export function hasCapability(model: FakeModel, capability: string): boolean {
  return completeModel(model).capabilities.includes(capability);
}

/**
 * The fully qualified name Ollama puts in scheduler errors, e.g.
 * "registry.ollama.ai/library/gemma3:1b".
 */
export function qualifiedName(name: string): string {
  const tagged = listedName(name, "ollama");
  const parts = tagged.split("/");
  if (parts.length >= 3) return tagged;
  if (parts.length === 2) return `registry.ollama.ai/${tagged}`;
  return `registry.ollama.ai/library/${tagged}`;
}

/**
 * The name a server lists: Ollama shows an untagged model as "name:latest"; llama.cpp-like
 * servers list names exactly as configured.
 */
export function listedName(name: string, flavor: "ollama" | "openai"): string {
  return flavor === "ollama" && !name.includes(":") ? `${name}:latest` : name;
}

/** Finds the model a request names; Ollama treats "x" and "x:latest" as the same model. */
export function findModel(
  models: readonly FakeModel[],
  requested: string,
  flavor: "ollama" | "openai",
): ModelInfo | undefined {
  const wanted = listedName(requested, flavor);
  const model = models.find((m) => listedName(m.name, flavor) === wanted);
  return model && completeModel(model);
}

/** Models without "completion": real Ollama refuses to chat with them. */
export function isEmbeddingOnly(model: FakeModel): boolean {
  return !hasCapability(model, "completion");
}

/** A stable sha256-shaped hex digest derived from the name (not a real content hash). */
export async function fakeDigest(name: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(name));
  return toHex(new Uint8Array(bytes));
}

/** One entry of Ollama's `GET /api/tags`, fields as docs/api.md lists them. */
export async function ollamaTag(model: FakeModel): Promise<Record<string, unknown>> {
  const full = completeModel(model);
  const name = listedName(full.name, "ollama");
  return {
    name,
    model: name,
    modified_at: MODIFIED_AT,
    size: full.size_bytes,
    digest: await fakeDigest(name),
    details: modelDetails(full),
  };
}

/** Ollama's `details` object for a model, as `/api/tags`, `/api/show` and `/api/ps` give it. */
export function modelDetails(model: FakeModel): Record<string, unknown> {
  const full = completeModel(model);
  return {
    parent_model: "",
    format: "gguf",
    family: full.family,
    families: [full.family],
    parameter_size: full.parameter_size,
    quantization_level: isEmbeddingOnly(full) ? "F16" : "Q4_K_M",
  };
}

/** Fixed so listings are byte-for-byte repeatable. */
export const MODIFIED_AT = "2025-01-15T10:30:00.000000000Z";
