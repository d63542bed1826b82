/**
 * Turns one mDNS response into the peers it announces. Strict and total: a
 * record that does not validate drops its peer, never throws.
 *
 * @module
 */
import type { ARecord, DnsPacket, DnsRecord, SrvRecord, TxtRecord } from "./dns_codec.ts";
import { IPV4_PATTERN, sameName } from "./dns_codec.ts";
import { NODE_ID_PATTERN, SERVICE_TYPE } from "./service_records.ts";
import { decodeTxtData } from "./txt_data.ts";

/** One peer as announced (or withdrawn) by a response. */
export interface Announcement {
  /** `<nodeId>._mycoswarm._tcp.local` */
  instance: string;
  /** The node id, the key of the peer table. */
  nodeId: string;
  /** The SRV target without `.local`; empty in a goodbye without SRV. */
  hostname: string;
  /** IPv4 addresses of the target from A records; may be empty (use the packet's source). */
  addresses: string[];
  /** 0 in a goodbye without SRV. */
  port: number;
  /** TXT fields, syntax-checked but not yet signature-checked (see `verifyTxt`). */
  txt: Record<string, string>;
  /** Smallest TTL of the peer's PTR, SRV and TXT records, in seconds. */
  ttl: number;
  /** `now + ttl`, in ms. */
  expiresAt: number;
  /** True when PTR or SRV has TTL 0 (RFC 6762 §10.1). */
  goodbye: boolean;
}

/** Options of {@linkcode peerFromPacket}. */
export interface ParseOptions {
  /** When the packet arrived, ms since the epoch. */
  now: number;
}

/** More instances than this in one packet are ignored, bounding the work per packet. */
export const MAX_INSTANCES_PER_PACKET = 32;

const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const SUFFIX = `.${SERVICE_TYPE}`;

/**
 * The peers of our service announced in a response, from its answer and
 * additional sections. Other services, queries, and any peer with an invalid
 * node id, port, host name or TXT (over 1300 bytes, a field without a value,
 * a bad or repeated key, a `node_id` or `port` other than the instance's or
 * SRV's) are left out.
 *
 * @param packet a decoded packet
 * @param options arrival time
 * @returns the announcements, possibly none
 */
export function peerFromPacket(packet: DnsPacket, options: ParseOptions): Announcement[] {
  if (packet.type !== "response") return [];
  const records = [...packet.answers, ...packet.additionals];
  const instances: string[] = [];
  for (const r of records) {
    const name = r.type === "PTR" && sameName(r.name, SERVICE_TYPE)
      ? r.data
      : r.type === "SRV" || r.type === "TXT"
      ? r.name
      : null;
    if (name === null || !name.toLowerCase().endsWith(SUFFIX)) continue;
    if (!instances.some((i) => sameName(i, name))) instances.push(name);
    if (instances.length >= MAX_INSTANCES_PER_PACKET) break;
  }
  return instances.map((i) => readPeer(i, records, options.now)).filter((a) => a !== null);
}

function readPeer(instance: string, records: DnsRecord[], now: number): Announcement | null {
  const nodeId = instance.slice(0, -SUFFIX.length);
  if (!NODE_ID_PATTERN.test(nodeId)) return null;
  const ptr = records.find((r) => r.type === "PTR" && sameName(r.data, instance));
  const srv = records.find((r): r is SrvRecord => r.type === "SRV" && sameName(r.name, instance));
  const txt = records.find((r): r is TxtRecord => r.type === "TXT" && sameName(r.name, instance));
  const goodbye = ptr?.ttl === 0 || srv?.ttl === 0;
  const base = { instance: `${nodeId}${SUFFIX}`, nodeId, goodbye };
  if (goodbye) {
    return { ...base, hostname: "", addresses: [], port: 0, txt: {}, ttl: 0, expiresAt: now };
  }
  if (srv === undefined || txt === undefined) return null;
  const { port, target } = srv.data;
  const hostname = target.toLowerCase().endsWith(".local") ? target.slice(0, -6) : "";
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !HOST_LABEL.test(hostname)) {
    return null;
  }
  const fields = decodeTxtData(txt.data);
  // node_id and port are signed in TXT; SRV and A are not, so they must agree.
  if (fields === null || !agrees(fields.node_id, nodeId) || !agrees(fields.port, String(port))) {
    return null;
  }
  const addresses = records
    .filter((r): r is ARecord =>
      r.type === "A" && sameName(r.name, target) && IPV4_PATTERN.test(r.data)
    )
    .map((r) => r.data)
    .filter((address, i, all) => all.indexOf(address) === i);
  const ttl = Math.min(srv.ttl, txt.ttl, ptr?.ttl ?? Infinity);
  return { ...base, hostname, addresses, port, txt: fields, ttl, expiresAt: now + ttl * 1000 };
}

/** True when a TXT field is absent or equals what the other records say. */
function agrees(field: string | undefined, value: string): boolean {
  return field === undefined || field === value;
}
