/**
 * The swarm's models: one list, merged from this node's models and its reachable peers',
 * for the chat API's model lists, the swarm's model client and `mycoswarm models`.
 *
 * @module
 */

import type { ModelInfo } from "../llm/mod.ts";

/** This node, as the merge reads it (a `NodeIdentity` is one): its models with their sizes. */
export interface SelfModels {
  /** This node's id. */
  node_id: string;
  /** This machine's name. */
  hostname: string;
  /** Its models, with sizes when known. */
  models: readonly { name: string; size_bytes?: number | undefined }[];
}

/** A peer, as the merge reads it (a `PeerJson` is one): its announced model names. */
export interface PeerModels {
  /** The peer's id. */
  node_id: string;
  /** The peer's machine name. */
  hostname: string;
  /** The model names it announced. */
  available_models: readonly string[];
}

/** A node that has a model. */
export interface ModelHolder {
  /** The node's id. */
  node_id: string;
  /** The node's machine name. */
  hostname: string;
  /** True for the node that made the list. */
  self: boolean;
}

/** One model of the swarm and every node that has it. */
export interface SwarmModel extends ModelInfo {
  /** This node first when it has the model, then peers in the order given. */
  nodes: ModelHolder[];
}

/**
 * Merges this node's models (first, with their sizes) with those of `peers` (pass only
 * reachable ones): each model once, in order of first sight, with the nodes that have it.
 *
 * @example
 * ```ts
 * const models = swarmModelList(
 *   { node_id: "myco-a", hostname: "gpu-box", models: [{ name: "qwen2.5:14b" }] },
 *   [{ node_id: "myco-b", hostname: "pi", available_models: ["gemma3:1b"] }],
 * );
 * models.map((m) => m.name); // ["qwen2.5:14b", "gemma3:1b"]
 * ```
 */
export function swarmModelList(self: SelfModels, peers: readonly PeerModels[]): SwarmModel[] {
  const models = new Map<string, SwarmModel>();
  const add = (node: SelfModels, isSelf: boolean) => {
    for (const { name, size_bytes } of node.models) {
      const holder = { node_id: node.node_id, hostname: node.hostname, self: isSelf };
      const known = models.get(name);
      if (known !== undefined) known.nodes.push(holder);
      else {
        models.set(name, {
          name,
          ...(size_bytes === undefined ? {} : { size_bytes }),
          nodes: [holder],
        });
      }
    }
  };
  add(self, true);
  for (const peer of peers) {
    add({ ...peer, models: peer.available_models.map((name) => ({ name })) }, false);
  }
  return [...models.values()];
}
