/**
 * Discovery: finding the other nodes on the LAN with mDNS / DNS-SD
 * (RFC 6762, RFC 6763) and tracking their health.
 *
 * The pieces inside are pure, so the one socket owner stays thin:
 *
 * - on start, send `encode(announcementPacket(ad))` at `announceSchedule()`
 *   offsets, then every `reannounceIntervalMs`; browse with
 *   `encode(queryPacket())` after each `nextQueryDelay(attempt)`;
 * - for each datagram, `decode(bytes)`; give queries to `answerFor(packet, ad)`
 *   and send any response; give responses to `peerFromPacket(packet, { now })`,
 *   check each with `verifyTxt`, then `table.observe()` or
 *   `table.recordRejected(reason)`;
 * - heartbeat every `heartbeatIntervalMs` into `heartbeatOk`/`heartbeatFailed`,
 *   call `table.tick(now)` on a timer, and send `goodbyePacket(ad)` on close.
 *
 * {@linkcode DiscoveryService} does exactly that over a {@linkcode PacketTransport}:
 * {@linkcode MdnsSocket} (the only code that opens UDP 5353) in the daemon, a
 * `MemoryNetwork` member in this folder's tests. Static peers (`MYCOSWARM_PEERS`) are
 * polled over HTTP through an injected fetcher where multicast cannot work.
 *
 * @module
 */
export { DEFAULT_DISCOVERY_CONFIG, discoveryConfig } from "./config.ts";
export type { DiscoveryConfig } from "./config.ts";
export { DiscoveryService } from "./discovery_service.ts";
export type { DiscoveryServiceOptions, DiscoveryStats } from "./discovery_service.ts";
export type { IdentityFetcher } from "./peer_checks.ts";
export { MdnsSocket } from "./mdns_socket.ts";
export type { InterfaceList, MdnsInterface, MdnsSocketOptions } from "./mdns_socket.ts";
export type { PacketListener, PacketTransport, RemoteInfo } from "./packet_transport.ts";
export { isReachable, PeerTable } from "./peer_table.ts";
export type {
  Peer,
  PeerEvent,
  PeerEventType,
  PeerListener,
  PeerState,
  PeerTableOptions,
  RejectionReason,
} from "./peer_table.ts";
export type { Announcement } from "./parse_announcement.ts";
export type { PeerProbe, ProbeResult } from "./peer_checks.ts";
export type { StaticPeerIdentity } from "./static_peers.ts";
export { buildTxt, readTxt } from "./txt_record.ts";
export type { NodeTxt, NodeTxtInput } from "./txt_record.ts";
export { timingSafeEqual } from "./txt_signature.ts";
export type { VerifyFailure } from "./txt_signature.ts";
