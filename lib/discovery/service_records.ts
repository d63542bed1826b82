/**
 * Our node as DNS-SD records (RFC 6763) and the mDNS messages built from them
 * (RFC 6762): announcements, goodbyes and browse queries. Pure: no sockets.
 *
 * @module
 */
import { DEFAULT_DISCOVERY_CONFIG } from "./config.ts";
import { AUTHORITATIVE_ANSWER, type DnsPacket, type DnsRecord } from "./dns_codec.ts";
import { encodeTxtData } from "./txt_data.ts";

/** The DNS-SD service type every node registers. */
export const SERVICE_TYPE = "_mycoswarm._tcp.local";
/** The IPv4 mDNS multicast group (RFC 6762 §3). */
export const MDNS_ADDRESS = "224.0.0.251";
/** The mDNS UDP port (RFC 6762 §3). */
export const MDNS_PORT = 5353;
/** How a node id looks: `myco-` and 12 lower-case hex digits. */
export const NODE_ID_PATTERN = /^myco-[0-9a-f]{12}$/;

/** What one node publishes about itself. */
export interface Advertisement {
  /** `myco-xxxxxxxxxxxx`; also the DNS-SD instance label. */
  nodeId: string;
  /** Host label without `.local`; the SRV target is `<hostname>.local`. */
  hostname: string;
  /** IPv4 addresses the node API listens on. */
  addresses: string[];
  /** The node API port. */
  port: number;
  /** TXT fields (see `txt_record.ts`). */
  txt: Record<string, string>;
}

/** Options of {@linkcode recordsFor}. */
export interface RecordsOptions {
  /**
   * One TTL for every record, in seconds (0 for a goodbye).
   * @default 120 for SRV and A, 4500 for PTR and TXT (RFC 6762 §10)
   */
  ttl?: number;
}

/** The instance name of a node: `<nodeId>._mycoswarm._tcp.local`. */
export function instanceName(nodeId: string): string {
  return `${nodeId}.${SERVICE_TYPE}`;
}

/** The host name of an advertisement: `<hostname>.local`. */
export function hostName(ad: Pick<Advertisement, "hostname">): string {
  return `${ad.hostname}.local`;
}

/**
 * The records that describe a node: PTR (service → instance), SRV (instance →
 * host:port), TXT, and one A per address. SRV, TXT and A are unique to this
 * node, so they carry the cache-flush bit (RFC 6762 §10.2); the PTR is shared
 * by every node of the service, so it does not.
 *
 * @param ad the node
 * @param options TTL override
 * @returns `[PTR, SRV, TXT, ...A]`
 * @example
 * ```ts
 * const [ptr] = recordsFor(ad); // ptr.data === "myco-0123456789ab._mycoswarm._tcp.local"
 * ```
 */
export function recordsFor(ad: Advertisement, options: RecordsOptions = {}): DnsRecord[] {
  const hostTtl = options.ttl ?? DEFAULT_DISCOVERY_CONFIG.hostTtlSeconds;
  const otherTtl = options.ttl ?? DEFAULT_DISCOVERY_CONFIG.serviceTtlSeconds;
  const instance = instanceName(ad.nodeId);
  const target = hostName(ad);
  return [
    { type: "PTR", name: SERVICE_TYPE, ttl: otherTtl, flush: false, data: instance },
    {
      type: "SRV",
      name: instance,
      ttl: hostTtl,
      flush: true,
      data: { target, port: ad.port, priority: 0, weight: 0 },
    },
    { type: "TXT", name: instance, ttl: otherTtl, flush: true, data: encodeTxtData(ad.txt) },
    ...ad.addresses.map((address): DnsRecord => ({
      type: "A",
      name: target,
      ttl: hostTtl,
      flush: true,
      data: address,
    })),
  ];
}

/** A response message (id 0, AA set) holding the given records. */
export function responsePacket(answers: DnsRecord[], additionals: DnsRecord[] = []): DnsPacket {
  return {
    type: "response",
    id: 0,
    flags: AUTHORITATIVE_ANSWER,
    questions: [],
    answers,
    authorities: [],
    additionals,
  };
}

/**
 * An unsolicited announcement (RFC 6762 §8.3): every record in the answer section.
 * Send it per `announceSchedule()` at start and again every `reannounceIntervalMs`.
 */
export function announcementPacket(ad: Advertisement): DnsPacket {
  return responsePacket(recordsFor(ad));
}

/**
 * A goodbye (RFC 6762 §10.1): PTR, SRV and TXT with TTL 0, sent on clean
 * shutdown. The A records are left out: the host name may also be published by
 * the operating system's responder (Avahi, Bonjour), whose caches we must not flush.
 */
export function goodbyePacket(ad: Advertisement): DnsPacket {
  return responsePacket(recordsFor({ ...ad, addresses: [] }, { ttl: 0 }));
}

/** Options of {@linkcode queryPacket}. */
export interface QueryOptions {
  /**
   * PTR records already known, with their remaining TTLs, listed so their owners
   * stay quiet (RFC 6762 §7.1).
   * @default []
   */
  knownAnswers?: DnsRecord[];
}

/** A browse query: one PTR question for the service, QU bit off (multicast answers). */
export function queryPacket(options: QueryOptions = {}): DnsPacket {
  return {
    type: "query",
    id: 0,
    flags: 0,
    questions: [{ name: SERVICE_TYPE, type: "PTR", unicastResponse: false }],
    // RFC 6762 §10.2: the cache-flush bit MUST NOT be set in known answers.
    answers: (options.knownAnswers ?? []).map((r) => ({ ...r, flush: false })),
    authorities: [],
    additionals: [],
  };
}
