/**
 * Whether one announcement parsed from a response gets into the peer table:
 * its signed TXT must verify with the swarm token, and a goodbye must carry
 * the peer's signed goodbye TXT (`bye=1`) of its current boot, or anyone could
 * make us drop a live peer by replaying a captured TXT with TTL 0.
 *
 * @module
 */
import { type DnsPacket, sameName, type TxtRecord } from "./dns_codec.ts";
import type { RemoteInfo } from "./packet_transport.ts";
import type { Announcement } from "./parse_announcement.ts";
import type { Peer, RejectionReason } from "./peer_table.ts";
import { decodeTxtData } from "./txt_data.ts";
import { verifyTxt } from "./txt_signature.ts";

/** Take the announcement in, count it as rejected, or pass over it. */
export type Admission =
  | { take: Announcement }
  | { reject: RejectionReason }
  | null;

/** What {@linkcode admit} needs besides the announcement. */
export interface AdmitContext {
  /** The response it came in. */
  packet: DnsPacket;
  from: RemoteInfo;
  /** What the table knows of this peer. */
  known: Peer | undefined;
  token: string;
  now: number;
  maxAgeSeconds: number;
}

/**
 * Decides on one announcement. A goodbye for a peer we do not know (or know as
 * left) is passed over without verifying it. A verified goodbye is taken only
 * when its TXT says `bye=1` and names the `boot` of the announcement we took
 * last: a node signs `bye=1` only when it stops, and a stopped boot never
 * comes back, so replaying that goodbye tells nothing false. Any other signed
 * TXT sent with TTL 0 (captured from an announcement or an answer) is a
 * `replay`.
 *
 * Addresses come only from the signed `addr` field: A records and the packet's
 * source are not signed, and a replayed announcement with a changed A record
 * would otherwise send peers (and the token in their requests) to an attacker.
 * A records are kept only where they agree with `addr`.
 */
export async function admit(announcement: Announcement, context: AdmitContext): Promise<Admission> {
  const { token, now, maxAgeSeconds } = context;
  if (announcement.goodbye) {
    if (context.known === undefined || context.known.state === "left") return null;
    const record = [...context.packet.answers, ...context.packet.additionals].find((
      r,
    ): r is TxtRecord => r.type === "TXT" && sameName(r.name, announcement.instance));
    const fields = record === undefined ? {} : decodeTxtData(record.data);
    if (fields === null) return { reject: "malformed" };
    const result = await verifyTxt(fields, token, { now, maxAgeSeconds });
    if (!result.ok) return { reject: result.reason };
    if (result.fields.nodeId !== announcement.nodeId) return { reject: "malformed" };
    const boot = context.known.txt[BOOT_FIELD];
    const current = fields[GOODBYE_FIELD] === "1" && boot !== undefined &&
      fields[BOOT_FIELD] === boot;
    return current ? { take: announcement } : { reject: "replay" };
  }
  const result = await verifyTxt(announcement.txt, token, { now, maxAgeSeconds });
  if (!result.ok) return { reject: result.reason };
  const signed = signedAddresses(announcement.txt);
  if (signed.length === 0) return { reject: "malformed" };
  const addresses = announcement.addresses.length > 0
    ? announcement.addresses.filter((a) => signed.includes(a))
    : signed;
  if (addresses.length === 0) return { reject: "bad_signature" }; // A records someone changed
  return { take: { ...announcement, addresses } };
}

/** A DNS-safe host label: letters, digits and hyphens, at most 63, else `fallback`. */
export function hostLabel(name: string, fallback: string): string {
  const label = (name.split(".")[0] ?? "").toLowerCase().replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return label === "" ? fallback : label;
}

/** The TXT field that lists a node's addresses under its signature. */
export const ADDRESS_FIELD = "addr";

/** The TXT field that names a node's boot: random, new each time discovery starts. */
export const BOOT_FIELD = "boot";

/** The TXT field that marks a signed goodbye (`bye=1`), sent only when a node stops. */
export const GOODBYE_FIELD = "bye";

/** At most this many addresses are signed (they share the TXT's 1300 bytes). */
export const MAX_SIGNED_ADDRESSES = 8;

/** The IPv4 addresses in a TXT's signed `addr` field. */
function signedAddresses(txt: Record<string, string>): string[] {
  return (txt[ADDRESS_FIELD] ?? "").split(",").map((a) => a.trim())
    .filter((a) => /^\d{1,3}(\.\d{1,3}){3}$/.test(a));
}
