/** Picks a model for each job from what is installed. Pure. */

import type { ModelInfo, ModelRoles } from "./types.ts";

/** Small models good at classification, best first (matched as substrings, like mycoSwarm). */
export const GATE_PREFERENCE = ["gemma3:1b", "llama3.2:1b", "gemma3:4b", "llama3.2:3b"] as const;

const EMBEDDING_NAME = /embed|all-minilm|bge-|paraphrase-multilingual/i;
const EMBEDDING_FAMILY = /bert/i;

/** True for embedding models, which can never answer a chat. */
export function isEmbeddingModel(model: ModelInfo): boolean {
  return EMBEDDING_NAME.test(model.name) || EMBEDDING_FAMILY.test(model.family ?? "");
}

/**
 * Parameters in billions, from the server's `parameter_size` ("3.2B", "137M")
 * or else the `NNb` in the name ("qwen2.5:14b"); null when neither says.
 */
export function parameterBillions(model: ModelInfo): number | null {
  const declared = model.parameter_size?.match(/^([\d.]+)\s*([BMK])$/i);
  if (declared) {
    const value = Number(declared[1]);
    const unit = (declared[2] ?? "B").toUpperCase();
    return unit === "B" ? value : unit === "M" ? value / 1000 : value / 1e6;
  }
  // "qwen2.5:14b", "qwen2.5:0.5b-instruct", and mixtures of experts like "mixtral:8x7b".
  const inName = model.name.match(/(?:^|[^a-z0-9.])(?:(\d+)x)?(\d+(?:\.\d+)?)b(?![a-z])/i);
  if (!inName) return null;
  return Number(inName[2]) * (inName[1] ? Number(inName[1]) : 1);
}

/**
 * A comparable size: bytes from the server, else parameters from the name
 * (scaled as a 4-bit quantisation would be on disk), else null (unknown).
 */
export function modelWeight(model: ModelInfo): number | null {
  if (model.size_bytes !== undefined && model.size_bytes > 0) return model.size_bytes;
  const billions = parameterBillions(model);
  return billions === null ? null : billions * 0.6e9;
}

/** Overrides from config or flags; each wins when set. */
export interface RoleOverrides {
  /** The chat model named in config or flags, which wins over the pick. */
  chat?: string | null;
  /** The gate model named in config, which wins over the pick. */
  gate?: string | null;
  /** The embedding model named in config, which wins over the pick. */
  embedding?: string | null;
}

/**
 * Picks the chat, gate and embedding models.
 *
 * @example
 * ```ts
 * pickRoles([{ name: "qwen2.5:14b" }, { name: "gemma3:1b" }, { name: "nomic-embed-text" }]);
 * // { chat: "qwen2.5:14b", gate: "gemma3:1b", embedding: "nomic-embed-text" }
 * ```
 */
export function pickRoles(models: readonly ModelInfo[], overrides: RoleOverrides = {}): ModelRoles {
  const chatModels = models.filter((m) => !isEmbeddingModel(m));
  // Models of unknown size are ranked only when no size is known at all: then
  // the server's own order decides, as it does in mycoSwarm.
  const sized = chatModels.filter((m) => modelWeight(m) !== null);
  const bySize = sized.length > 0
    ? sized.sort((a, b) => modelWeight(a)! - modelWeight(b)!)
    : chatModels.slice(0, 1);
  const preferredGate = GATE_PREFERENCE
    .map((wanted) => chatModels.find((m) => m.name.includes(wanted)))
    .find((m) => m !== undefined);
  const embeddings = models.filter(isEmbeddingModel);
  const embedding = embeddings.find((m) => m.name.startsWith("nomic-embed-text")) ??
    embeddings.find((m) => m.name.includes("embed")) ?? embeddings[0];
  return {
    chat: overrides.chat ?? bySize.at(-1)?.name ?? null,
    gate: overrides.gate ?? preferredGate?.name ?? bySize[0]?.name ?? null,
    embedding: overrides.embedding ?? embedding?.name ?? null,
  };
}

/**
 * The chat models, largest first (by size, else the `NNb` in the name; unknown sizes last,
 * in the server's order): the order the chat role is picked in, for when the largest cannot
 * take a request (it lacks tools or vision).
 */
export function chatModelsBySize(models: readonly ModelInfo[]): ModelInfo[] {
  const chatModels = models.filter((m) => !isEmbeddingModel(m));
  const weight = (m: ModelInfo) => modelWeight(m) ?? -1;
  return chatModels
    .map((m, i) => ({ m, i }))
    .sort((a, b) => weight(b.m) - weight(a.m) || a.i - b.i)
    .map(({ m }) => m);
}

/** The roles a model plays, for listings: e.g. ["chat"], ["gate"], ["embedding"], []. */
export function rolesOf(name: string, roles: ModelRoles): string[] {
  return (["chat", "gate", "embedding"] as const).filter((role) => roles[role] === name);
}
