/**
 * The node's discovery: announce this node over mDNS, browse for peers into the node's
 * peer table, heartbeat them over HTTP, and poll static peers (`MYCOSWARM_PEERS`) where
 * multicast cannot work.
 *
 * @module
 */

import { networkInterfaces } from "node:os";
import { type Deps, isMycoError, VERSION } from "../core/mod.ts";
import {
  type DiscoveryConfig,
  DiscoveryService,
  MdnsSocket,
  type NodeTxtInput,
  type Peer,
  type PeerProbe,
  type PeerTable,
  type StaticPeerIdentity,
} from "../discovery/mod.ts";
import type { NodeIdentity } from "../node/mod.ts";
import type { IdentityCache } from "./identity_cache.ts";

/** What discovery is started with. */
export interface NodeDiscoveryOptions {
  identity: IdentityCache;
  /** The table discovery fills, and routing reads. */
  peers: PeerTable;
  /** The swarm token: signs our announcements, checks theirs, opens peers' `/identity`. */
  token: string;
  /** Where the node API listens. */
  port: number;
  bind: string;
  /** `host:port` of peers polled over HTTP, for networks without multicast. */
  staticPeers: readonly string[];
  config: DiscoveryConfig;
  /**
   * False: no multicast at all, static peers only (tests, networks that forbid it). True:
   * mDNS on the interfaces `bind` names (all for a wildcard, the loopback for 127.0.0.1).
   */
  mdns: boolean;
}

/** Starts discovery for a running node; close the returned service to say goodbye. */
export async function startDiscovery(
  options: NodeDiscoveryOptions,
  deps: Pick<Deps, "fetch" | "clock" | "logger">,
): Promise<DiscoveryService> {
  const { port, bind, token, config } = options;
  const { logger } = deps;
  const identity = options.identity.current();
  let transport: MdnsSocket | null = null;
  if (options.mdns) {
    try {
      // mDNS follows the API's address: bound to 127.0.0.1, nothing leaves the machine.
      transport = await MdnsSocket.open({ logger, bind });
    } catch (error) {
      const why = isMycoError(error) ? error.message : (error as Error).message;
      logger.warn(
        `mDNS is not available (${why}); only static peers are used` +
          (options.staticPeers.length ? "" : ": list them in MYCOSWARM_PEERS=host:port,..."),
      );
    }
  }
  const fetch = deps.fetch;
  const withTimeout = (signal: AbortSignal) =>
    AbortSignal.any([signal, AbortSignal.timeout(config.heartbeatTimeoutMs)]);
  const probe: PeerProbe = async (peer, signal) => {
    const started = deps.clock.now();
    const response = await fetch(`${baseUrl(peer)}/health`, { signal: withTimeout(signal) });
    const health = response.ok ? await response.json().catch(() => null) : null;
    if (!response.ok) await response.body?.cancel();
    // Another program (or node) answering on that address is not this peer.
    const same = (health as { node_id?: unknown } | null)?.node_id === peer.nodeId;
    return { ok: response.ok && same, latencyMs: deps.clock.now() - started };
  };
  const service = new DiscoveryService({
    transport,
    token,
    node: txtOf(identity, port),
    hostname: identity.hostname,
    addresses: addressesFor(bind),
    probe,
    staticPeers: options.staticPeers,
    fetchIdentity: async (hostPort, signal): Promise<StaticPeerIdentity | null> => {
      try {
        const response = await fetch(`http://${hostPort}/identity`, {
          headers: { authorization: `Bearer ${token}` },
          signal: withTimeout(signal),
        });
        if (!response.ok) {
          await response.body?.cancel();
          return null;
        }
        const peer = await response.json() as NodeIdentity;
        const gpu = peer.gpus[0];
        return {
          nodeId: peer.node_id,
          hostname: peer.hostname,
          // The fields routing reads from an mDNS TXT record (readTxt), so a static peer
          // is routed to like a discovered one.
          txt: {
            tier: peer.node_tier,
            gpu_tier: peer.gpu_tier,
            caps: peer.capabilities.join(","),
            gpu: gpu?.name ?? "none",
            vram: String(gpu?.vram_total_mb ?? 0),
            models: peer.models.map((m) => m.name).join(","),
            version: peer.version,
            ts: String(Math.floor(deps.clock.now() / 1000)),
          },
        };
      } catch {
        return null;
      }
    },
    clock: deps.clock,
    logger,
    table: options.peers,
    config,
  });
  await service.start();
  options.identity.onChange((fresh) => {
    service.update({ node: txtOf(fresh, port) }).catch((error) =>
      logger.warn(`could not re-announce: ${(error as Error).message}`)
    );
  });
  return service;
}

/** What this node says about itself in its TXT record. */
export function txtOf(identity: NodeIdentity, apiPort: number): NodeTxtInput {
  const gpu = identity.gpus[0];
  return {
    nodeId: identity.node_id,
    tier: identity.node_tier,
    gpuTier: identity.gpu_tier,
    caps: identity.capabilities,
    gpu: gpu?.name ?? "none",
    vramMb: gpu?.vram_total_mb ?? 0,
    models: identity.models.map((m) => m.name),
    version: VERSION,
    apiPort,
  };
}

/** The IPv4 addresses to announce: the bound one, or every non-loopback one. */
export function addressesFor(bind: string): string[] {
  if (bind !== "0.0.0.0" && bind !== "::" && /^\d+\.\d+\.\d+\.\d+$/.test(bind)) return [bind];
  if (bind === "localhost" || bind === "::1" || bind === "[::1]") return ["127.0.0.1"];
  return Object.values(networkInterfaces()).flat()
    .filter((a) => a !== undefined && a.family === "IPv4" && !a.internal)
    .map((a) => a!.address);
}

function baseUrl(peer: Peer): string {
  return `http://${peer.addresses[0] ?? peer.hostname}:${peer.port}`;
}
