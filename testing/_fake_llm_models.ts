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
 * @example guessModel("mistral:7b") // { name, size_bytes: 4_550_000_000, family: "mistral", parameter_size: "7B" }
 */
export function guessModel(name: string): Required<FakeModel> {
  const match = name.match(/(\d+(?:\.\d+)?)([bm])(?![a-z])/i);
  const count = match ? Number(match[1]) : 1;
  const unit = match?.[2]?.toUpperCase() === "M" ? "M" : "B";
  const parameters = count * (unit === "M" ? 1e6 : 1e9);
  const family = /embed/i.test(name) ? "nomic-bert" : name.match(/^[a-z]+/i)?.[0] ?? "llama";
  return {
    name,
    size_bytes: Math.round(parameters * BYTES_PER_PARAMETER),
    family: family.toLowerCase(),
    parameter_size: `${count}${unit}`,
  };
}

/** The model with every field present, guessing what the caller left out. */
export function completeModel(model: FakeModel): Required<FakeModel> {
  const guess = guessModel(model.name);
  return {
    name: model.name,
    size_bytes: model.size_bytes ?? guess.size_bytes,
    family: model.family ?? guess.family,
    parameter_size: model.parameter_size ?? guess.parameter_size,
  };
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
): Required<FakeModel> | undefined {
  const wanted = listedName(requested, flavor);
  const model = models.find((m) => listedName(m.name, flavor) === wanted);
  return model && completeModel(model);
}

/** Embedding-only architectures: real Ollama refuses to chat with them. */
export function isEmbeddingOnly(model: FakeModel): boolean {
  return /bert/i.test(completeModel(model).family);
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
    details: {
      parent_model: "",
      format: "gguf",
      family: full.family,
      families: [full.family],
      parameter_size: full.parameter_size,
      quantization_level: isEmbeddingOnly(full) ? "F16" : "Q4_K_M",
    },
  };
}

/** Fixed so listings are byte-for-byte repeatable. */
export const MODIFIED_AT = "2025-01-15T10:30:00.000000000Z";
