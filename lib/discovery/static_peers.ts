/**
 * Static peers, for networks where multicast cannot work: a list of
 * `host:port` entries (`MYCOSWARM_PEERS=host:port,...`), polled over HTTP by
 * the discovery service and entered into the peer table as if announced.
 *
 * @module
 */
import { IPV4_PATTERN } from "./dns_codec.ts";
import type { Announcement } from "./parse_announcement.ts";
import { instanceName, NODE_ID_PATTERN } from "./service_records.ts";

/** What polling a static peer yields: who answers there. */
export interface StaticPeerIdentity {
  /** `myco-xxxxxxxxxxxx` */
  nodeId: string;
  /** The name shown for the peer. @default the host of the `host:port` entry */
  hostname?: string;
  /** TXT-style fields (tier, caps, models, version, …); `node_id` and `port` are set from the entry. */
  txt?: Record<string, string>;
}

/** One parsed `host:port` entry. */
export interface StaticPeerAddress {
  /** The entry as given, e.g. `10.0.0.5:7890`. */
  hostPort: string;
  host: string;
  port: number;
}

/** The result of {@linkcode parseStaticPeers}. */
export interface ParsedStaticPeers {
  peers: StaticPeerAddress[];
  /** Entries that are not `host:port`, to be reported. */
  invalid: string[];
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Parses static peer entries: `host:port` or `[ipv6]:port`, port 1–65535;
 * blanks are skipped, duplicates dropped.
 *
 * @param entries the entries, e.g. `"a:7890, b:7890".split(",")`
 * @returns the valid peers and the invalid entries
 * @example
 * ```ts
 * parseStaticPeers(["10.0.0.5:7890", "pi.lan:7890", "nope"]).invalid; // ["nope"]
 * ```
 */
export function parseStaticPeers(entries: readonly string[]): ParsedStaticPeers {
  const peers: StaticPeerAddress[] = [];
  const invalid: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === "") continue;
    const match = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    const host = match?.[1] ?? "";
    const hostOk = host.startsWith("[") || IPV4_PATTERN.test(host) || HOST.test(host);
    if (match === null || !hostOk || port < 1 || port > 65535) {
      invalid.push(entry);
      continue;
    }
    if (!peers.some((p) => p.hostPort === entry)) peers.push({ hostPort: entry, host, port });
  }
  return { peers, invalid };
}

/**
 * The announcement a polled static peer stands for, or `null` when the
 * identity is unusable (a bad node id).
 *
 * @param peer the entry polled
 * @param identity what it said
 * @param options arrival time (ms) and the TTL to give it (seconds)
 */
export function staticAnnouncement(
  peer: StaticPeerAddress,
  identity: StaticPeerIdentity,
  options: { now: number; ttlSeconds: number },
): Announcement | null {
  if (!NODE_ID_PATTERN.test(identity.nodeId)) return null;
  const txt = { ...identity.txt, node_id: identity.nodeId, port: String(peer.port) };
  return {
    instance: instanceName(identity.nodeId),
    nodeId: identity.nodeId,
    hostname: identity.hostname ?? peer.host,
    addresses: IPV4_PATTERN.test(peer.host) ? [peer.host] : [],
    port: peer.port,
    txt,
    ttl: options.ttlSeconds,
    expiresAt: options.now + options.ttlSeconds * 1000,
    goodbye: false,
  };
}
