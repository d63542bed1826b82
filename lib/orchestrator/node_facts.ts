/**
 * What routing knows about a node: read from a peer's signed TXT record, or from this
 * node's own identity, in one shape so both are scored the same way.
 *
 * @module
 */

import { type Peer, type PeerState, readTxt } from "../discovery/mod.ts";

/** One node as the scorer sees it. */
export interface NodeFacts {
  /** The node's stable id. */
  nodeId: string;
  /** The machine's name, for messages. */
  hostname: string;
  /** executive, specialist, worker, light or edge. */
  tier: string;
  /** Its capabilities, e.g. `gpu_inference`, `web_search`. */
  caps: readonly string[];
  /** Total VRAM of the best GPU, MB (0 without one). */
  vramMb: number;
  /** Model names the node lists. */
  models: readonly string[];
  /** How many names did not fit its TXT record: when above 0, `models` is incomplete. */
  modelsMore: number;
  /** The mycoswarm version it runs, if known. */
  version: string | null;
  /** Where it stands in the peer state machine (this node: alive). */
  state: PeerState;
  /** Moving average of heartbeat round trips, ms; null before the first; 0 for this node. */
  latencyMs: number | null;
  /** True for this node. */
  local: boolean;
  /** The node API's base URL, e.g. `http://10.0.0.2:7890`; null for this node. */
  url: string | null;
}

/** The parts of a node's identity (`GET /identity`) routing needs. */
export interface IdentityFacts {
  /** The node's stable id. */
  node_id: string;
  /** The machine's name. */
  hostname: string;
  /** Its tier (executive … edge). */
  node_tier: string;
  /** What it can do. */
  capabilities: readonly string[];
  /** Its GPUs, for the best one's VRAM. */
  gpus: readonly { vram_total_mb: number }[];
  /** The models it has. */
  models: readonly { name: string }[];
  /** The mycoswarm version it runs. */
  version: string;
}

/** A peer table entry as facts, or null when its TXT cannot be read (it is then never routed to). */
export function peerFacts(peer: Peer): NodeFacts | null {
  const txt = readTxt(peer.txt);
  if (txt === null) return null;
  const address = peer.addresses[0] ?? peer.hostname;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    nodeId: peer.nodeId,
    hostname: peer.hostname,
    tier: txt.tier,
    caps: txt.caps,
    vramMb: txt.vramMb,
    models: txt.models,
    modelsMore: txt.modelsMore,
    version: txt.version,
    state: peer.state,
    latencyMs: peer.latencyMs,
    local: false,
    url: `http://${host}:${peer.port}`,
  };
}

/** This node as facts: always alive, no network in between, every model listed. */
export function localFacts(identity: IdentityFacts): NodeFacts {
  return {
    nodeId: identity.node_id,
    hostname: identity.hostname,
    tier: identity.node_tier,
    caps: identity.capabilities,
    vramMb: Math.max(0, ...identity.gpus.map((g) => g.vram_total_mb)),
    models: identity.models.map((m) => m.name),
    modelsMore: 0,
    version: identity.version,
    state: "alive",
    latencyMs: 0,
    local: true,
    url: null,
  };
}
