/**
 * Choosing a node for a task. Pure: facts and loads in, an ordered list with reasons out.
 *
 * 1. **Capability** (the Python mycoSwarm's `TASK_ROUTING`): see {@linkcode TASK_ROUTING}.
 * 2. **Model**: inference and embedding with `payload.model` go to nodes that list it. A peer
 *    whose TXT list was truncated (`models_more > 0`) and does not list it *may* have it: it
 *    stays a candidate, ranked after every node known to have it (asking its `/identity`
 *    first would cost a round trip on every such task, and the list is only cut past ~1 KB
 *    of names). If it lacks the model after all, the task fails there saying so.
 * 3. **Health**: alive nodes only; suspect ones only when no alive node fits; dead or left
 *    never. This node counts as alive.
 * 4. **Score** ({@linkcode SCORING}): inference and embedding by GPU, VRAM and tier; all other
 *    work by `cpu_worker`, light tier, load and latency, executive nodes last so the GPU
 *    stays free. Both subtract 100 per task in flight there. Ties go to this node (no
 *    network hop), then to the lower latency, then to the node id (stable order).
 *
 * @module
 */

import { findInstalled } from "../llm/mod.ts";
import type { NodeFacts } from "./node_facts.ts";
import type { TaskPayload, TaskType } from "./types.ts";

/** Capabilities of which a node needs one, per task type; null = any node. Unlisted: cpu_worker. */
export const TASK_ROUTING: Readonly<Partial<Record<TaskType, readonly string[] | null>>> = {
  inference: ["gpu_inference", "cpu_inference"],
  embedding: ["gpu_inference", "cpu_inference"],
  intent_classify: ["cpu_worker", "gpu_inference", "cpu_inference"],
  web_search: ["cpu_worker"],
  web_fetch: ["cpu_worker"],
  ping: null,
};

/** The weights. mycoSwarm's values where it had them, so mixed swarms rank alike. */
export const SCORING = Object.freeze({
  /** A GPU runs a model 10–50× faster than a CPU: it dominates everything else. */
  gpuInference: 1000,
  /** One point per 100 MB of VRAM (mycoSwarm): bigger cards hold bigger models. */
  vramMbPerPoint: 100,
  /** Inference by tier; mycoSwarm had executive 500 and specialist 200, the rest keep the order. */
  inferenceTier: { executive: 500, specialist: 200, worker: 100, light: 50, edge: 0 } as Record<
    string,
    number
  >,
  /** CPU work prefers a node whose job it is. */
  cpuWorker: 100,
  /** CPU work by tier: light boxes first, GPU nodes last so their GPU stays free for inference. */
  cpuTier: { light: 50, edge: 0, worker: 0, specialist: -200, executive: -500 } as Record<
    string,
    number
  >,
  /** Per task in flight on the node (mycoSwarm's −100): one busy task outweighs the light bonus. */
  perTaskInFlight: -100,
  /** CPU work: one point per ms of measured round trip, so latency breaks ties on a LAN... */
  perLatencyMs: -1,
  /** ...capped, so one slow link never weighs more than a task in flight. */
  maxLatencyPenalty: 100,
});

/** How sure we are a node has the requested model. */
export type ModelMatch = "listed" | "maybe";

/** One candidate, scored. */
export interface ScoredNode {
  /** The node scored. */
  node: NodeFacts;
  /** Higher is better. */
  score: number;
  /** How the score was made, e.g. ["gpu_inference +1000", "VRAM 24576 MB +245"]. */
  reasons: string[];
  /** For a requested model; null when none was requested. */
  model: ModelMatch | null;
}

/** A node that was not a candidate, and why. */
export interface ExcludedNode {
  /** The node left out. */
  nodeId: string;
  /** Its machine name, for messages. */
  hostname: string;
  /** Why it was left out, e.g. it lacks the capability. */
  reason: string;
}

/** The outcome of {@linkcode rankNodes}. */
export interface Ranking {
  /** Which score ordered the candidates. */
  scoring: "inference" | "cpu";
  /** Best first. */
  candidates: ScoredNode[];
  /** Nodes that could not take the task, and why. */
  excluded: ExcludedNode[];
}

/** A task as routing sees it. */
export interface RoutableTask {
  task_type: TaskType;
  payload: TaskPayload;
}

/** The model a task asks for, when routing must respect it. */
export function requestedModel(task: RoutableTask): string | null {
  if (task.task_type !== "inference" && task.task_type !== "embedding") return null;
  const model = task.payload.model;
  return typeof model === "string" && model.trim() !== "" ? model : null;
}

/** The score of a node for inference and embedding. */
export function inferenceScore(node: NodeFacts, inFlight: number): Omit<ScoredNode, "model"> {
  const parts: [string, number][] = [];
  if (node.caps.includes("gpu_inference")) parts.push(["gpu_inference", SCORING.gpuInference]);
  const vram = Math.floor(node.vramMb / SCORING.vramMbPerPoint);
  if (vram > 0) parts.push([`VRAM ${node.vramMb} MB`, vram]);
  parts.push([node.tier, SCORING.inferenceTier[node.tier] ?? 0]);
  if (inFlight > 0) parts.push([`${inFlight} in flight`, SCORING.perTaskInFlight * inFlight]);
  return total(node, parts);
}

/** The score of a node for CPU work (everything but inference and embedding). */
export function cpuScore(node: NodeFacts, inFlight: number): Omit<ScoredNode, "model"> {
  const parts: [string, number][] = [];
  if (node.caps.includes("cpu_worker")) parts.push(["cpu_worker", SCORING.cpuWorker]);
  parts.push([node.tier, SCORING.cpuTier[node.tier] ?? 0]);
  if (inFlight > 0) parts.push([`${inFlight} in flight`, SCORING.perTaskInFlight * inFlight]);
  const ms = Math.round(node.latencyMs ?? 0);
  if (ms > 0) {
    const penalty = Math.max(-SCORING.maxLatencyPenalty, ms * SCORING.perLatencyMs);
    parts.push([`latency ${ms} ms`, penalty]);
  }
  return total(node, parts);
}

function total(node: NodeFacts, parts: [string, number][]): Omit<ScoredNode, "model"> {
  return {
    node,
    score: parts.reduce((sum, [, points]) => sum + points, 0),
    reasons: parts.map(([what, points]) => `${what} ${points < 0 ? "−" : "+"}${Math.abs(points)}`),
  };
}

/**
 * Ranks the nodes that can take `task`.
 *
 * @param nodes the peers and this node, as facts
 * @param inFlight tasks in flight on a node (ours to peers; this node's queue)
 * @returns the candidates best first, and the excluded nodes with the reason
 * @example
 * ```ts
 * const { candidates } = rankNodes({ task_type: "inference", payload: {} }, nodes, () => 0);
 * candidates[0]?.node.nodeId; // the GPU box
 * ```
 */
export function rankNodes(
  task: RoutableTask,
  nodes: readonly NodeFacts[],
  inFlight: (nodeId: string) => number,
): Ranking {
  const scoring = task.task_type === "inference" || task.task_type === "embedding"
    ? "inference"
    : "cpu";
  const needs = task.task_type in TASK_ROUTING ? TASK_ROUTING[task.task_type]! : ["cpu_worker"];
  const model = requestedModel(task);
  const excluded: ExcludedNode[] = [];
  const exclude = (node: NodeFacts, reason: string) =>
    excluded.push({ nodeId: node.nodeId, hostname: node.hostname, reason });
  const fit: ScoredNode[] = [];
  for (const node of nodes) {
    if (node.state === "dead" || node.state === "left") {
      exclude(node, node.state);
      continue;
    }
    if (needs !== null && !needs.some((cap) => node.caps.includes(cap))) {
      exclude(node, `lacks ${needs.join(" or ")}`);
      continue;
    }
    let match: ModelMatch | null = null;
    if (model !== null) {
      const listed = findInstalled(model, node.models.map((name) => ({ name }))) !== null;
      if (!listed && node.modelsMore === 0) {
        exclude(node, `does not have ${model}`);
        continue;
      }
      match = listed ? "listed" : "maybe";
    }
    const scored = scoring === "inference"
      ? inferenceScore(node, inFlight(node.nodeId))
      : cpuScore(node, inFlight(node.nodeId));
    if (match === "maybe") scored.reasons.push(`${model} maybe (model list truncated)`);
    fit.push({ ...scored, model: match });
  }
  const anyAlive = fit.some((c) => c.node.state === "alive");
  const candidates = fit.filter((c) => {
    if (c.node.state === "alive") return true;
    if (anyAlive) exclude(c.node, "suspect (alive nodes fit)");
    else c.reasons.push("suspect, but no alive node fits");
    return !anyAlive;
  });
  candidates.sort(byRank);
  return { scoring, candidates, excluded };
}

function byRank(a: ScoredNode, b: ScoredNode): number {
  const sure = (c: ScoredNode) => (c.model === "maybe" ? 1 : 0);
  return sure(a) - sure(b) ||
    b.score - a.score ||
    Number(b.node.local) - Number(a.node.local) ||
    (a.node.latencyMs ?? 0) - (b.node.latencyMs ?? 0) ||
    (a.node.nodeId < b.node.nodeId ? -1 : a.node.nodeId > b.node.nodeId ? 1 : 0);
}
