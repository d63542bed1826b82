/**
 * Discovery: finding the other nodes on the LAN with mDNS / DNS-SD
 * (RFC 6762, RFC 6763) and tracking their health.
 *
 * Everything here is pure, so the one socket owner stays thin:
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
 * {@linkcode MemoryNetwork} member in tests. Static peers (`MYCOSWARM_PEERS`) are
 * polled over HTTP through an injected fetcher where multicast cannot work.
 *
 * @module
 */
export { DEFAULT_DISCOVERY_CONFIG, type DiscoveryConfig, discoveryConfig } from "./config.ts";
export {
  type ARecord,
  AUTHORITATIVE_ANSWER,
  decode,
  type DnsPacket,
  type DnsQuestion,
  type DnsRecord,
  encode,
  IPV4_PATTERN,
  MAX_PACKET_BYTES,
  type PtrRecord,
  sameName,
  sameRecord,
  type SrvRecord,
  type TxtRecord,
} from "./dns_codec.ts";
export {
  type Advertisement,
  announcementPacket,
  goodbyePacket,
  hostName,
  instanceName,
  MDNS_ADDRESS,
  MDNS_PORT,
  NODE_ID_PATTERN,
  type QueryOptions,
  queryPacket,
  recordsFor,
  type RecordsOptions,
  responsePacket,
  SERVICE_TYPE,
} from "./service_records.ts";
export { answerFor, SERVICES_META_QUERY } from "./answer_query.ts";
export {
  type Announcement,
  MAX_INSTANCES_PER_PACKET,
  type ParseOptions,
  peerFromPacket,
} from "./parse_announcement.ts";
export {
  decodeTxtData,
  encodeTxtData,
  MAX_TXT_BYTES,
  MAX_TXT_STRING_BYTES,
  TXT_KEY_PATTERN,
  txtByteLength,
} from "./txt_data.ts";
export {
  buildTxt,
  type NodeTxt,
  type NodeTxtInput,
  readTxt,
  SIG_RESERVE_BYTES,
} from "./txt_record.ts";
export {
  canonicalTxt,
  signTxt,
  timingSafeEqual,
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  verifyTxt,
} from "./txt_signature.ts";
export {
  isReachable,
  type Peer,
  type PeerEvent,
  type PeerEventType,
  type PeerListener,
  type PeerState,
  PeerTable,
  type PeerTableOptions,
  type RejectionReason,
} from "./peer_table.ts";
export { announceSchedule, nextQueryDelay, type QueryDelayOptions } from "./query_schedule.ts";
export {
  DiscoveryService,
  type DiscoveryServiceOptions,
  type DiscoveryStats,
} from "./discovery_service.ts";
export {
  type IdentityFetcher,
  PeerChecks,
  type PeerChecksOptions,
  type PeerProbe,
  type ProbeResult,
} from "./peer_checks.ts";
export type { PacketListener, PacketTransport, RemoteInfo } from "./packet_transport.ts";
export {
  type InterfaceList,
  type MdnsInterface,
  MdnsSocket,
  type MdnsSocketOptions,
  multicastInterfaces,
} from "./mdns_socket.ts";
export { type MemoryDatagram, MemoryNetwork } from "./memory_transport.ts";
export {
  type ParsedStaticPeers,
  parseStaticPeers,
  staticAnnouncement,
  type StaticPeerAddress,
  type StaticPeerIdentity,
} from "./static_peers.ts";
