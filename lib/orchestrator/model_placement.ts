/**
 * Where a client's request for a named model goes (the drop-in Ollama and OpenAI routes):
 * a node that has the model, the one where it is already loaded first — loading a model
 * takes seconds to minutes, answering from a loaded one milliseconds — then the node that
 * served the conversation before (its prompt cache is warm there), then the inference score.
 * Pure: the loaded models and the conversation's last node are given.
 *
 * @module
 */

import { findInstalled } from "../llm/mod.ts";
import type { NodeFacts } from "./node_facts.ts";
import { inferenceScore, type ScoredNode } from "./scoring.ts";

/** What a placement weighs besides the nodes. */
export interface PlacementOptions {
  /** Requests in flight on a node. */
  inFlight: (nodeId: string) => number;
  /** Models loaded on a node now (its `/api/ps`); undefined when unknown. */
  loaded?: (nodeId: string) => ReadonlySet<string> | undefined;
  /** The node that served this conversation's previous request, if any. */
  previous?: string | null;
}

/** Points for a node where the model is loaded: more than any GPU, tier or load can outweigh. */
export const LOADED_BONUS = 5_000;

/**
 * The nodes that can serve `model`, best first: nodes that list it before nodes whose list
 * was cut short (they may have it), the conversation's previous node first while it is alive,
 * then loaded before not loaded, then the inference score. Dead and left nodes never.
 *
 * @example
 * ```ts
 * const [best] = placeModel("gemma3:27b", nodes, { inFlight: () => 0 });
 * best?.node.url; // null when this node serves it
 * ```
 */
export function placeModel(
  model: string,
  nodes: readonly NodeFacts[],
  options: PlacementOptions,
): ScoredNode[] {
  const bare = model.replace(/:latest$/, "");
  const placed: ScoredNode[] = [];
  for (const node of nodes) {
    if (node.state === "dead" || node.state === "left") continue;
    const listed = findInstalled(model, node.models.map((name) => ({ name }))) !== null;
    if (!listed && node.modelsMore === 0) continue;
    const scored = inferenceScore(node, options.inFlight(node.nodeId));
    const loaded = options.loaded?.(node.nodeId);
    if (loaded !== undefined && [...loaded].some((m) => m.replace(/:latest$/, "") === bare)) {
      scored.score += LOADED_BONUS;
      scored.reasons.push(`${model} loaded +${LOADED_BONUS}`);
    }
    placed.push({ ...scored, model: listed ? "listed" : "maybe" });
  }
  const rank = (c: ScoredNode) =>
    (c.model === "maybe" ? 2 : 0) +
    (c.node.state === "alive" && c.node.nodeId === options.previous ? 0 : 1);
  return placed.sort((a, b) =>
    rank(a) - rank(b) ||
    Number(a.node.state !== "alive") - Number(b.node.state !== "alive") ||
    b.score - a.score ||
    Number(b.node.local) - Number(a.node.local) ||
    (a.node.nodeId < b.node.nodeId ? -1 : 1)
  );
}
