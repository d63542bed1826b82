/** A peer as `GET /peers` shows it, in the Python mycoSwarm's field names where it had them. */

import { type Peer, readTxt } from "../discovery/mod.ts";

/** One peer for JSON. */
export interface PeerJson {
  node_id: string;
  hostname: string;
  ip: string | null;
  addresses: string[];
  port: number;
  state: Peer["state"];
  node_tier: string | null;
  gpu_tier: string | null;
  capabilities: string[];
  gpu_name: string | null;
  vram_total_mb: number | null;
  available_models: string[];
  version: string | null;
  /** ISO 8601. */
  last_seen: string;
  latency_ms: number | null;
  failures: number;
}

/** Turns a peer table entry into its JSON. */
export function peerJson(peer: Peer): PeerJson {
  const txt = readTxt(peer.txt);
  return {
    node_id: peer.nodeId,
    hostname: peer.hostname,
    ip: peer.addresses[0] ?? null,
    addresses: peer.addresses,
    port: peer.port,
    state: peer.state,
    node_tier: txt?.tier ?? null,
    gpu_tier: txt?.gpuTier ?? null,
    capabilities: txt?.caps ?? [],
    gpu_name: txt === null || txt.gpu === "none" ? null : txt.gpu,
    vram_total_mb: txt?.vramMb ?? null,
    available_models: txt?.models ?? [],
    version: txt?.version ?? null,
    last_seen: new Date(peer.lastSeen).toISOString(),
    latency_ms: peer.latencyMs === null ? null : Math.round(peer.latencyMs * 10) / 10,
    failures: peer.failures,
  };
}
