/** A peer as `GET /peers` shows it, in the Python mycoSwarm's field names where it had them. */

import { type Peer, readTxt } from "../discovery/mod.ts";
import type { PeerJson } from "../orchestrator/mod.ts";

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
