/**
 * The running half of discovery: wires the pure pieces (records, answers,
 * parsing, signatures, schedules, the peer table) to a {@linkcode PacketTransport}
 * and to timers, heartbeats and static peers.
 *
 * @module
 */
import {
  type Clock,
  createError,
  type Logger,
  silentLogger,
  systemClock,
  systemTimers,
  type Timers,
} from "../core/mod.ts";
import { answerFor } from "./answer_query.ts";
import { DEFAULT_DISCOVERY_CONFIG, type DiscoveryConfig } from "./config.ts";
import { decode, type DnsPacket, encode } from "./dns_codec.ts";
import type { PacketTransport, RemoteInfo } from "./packet_transport.ts";
import { peerFromPacket } from "./parse_announcement.ts";
import type { Peer, PeerListener, RejectionReason } from "./peer_table.ts";
import { PeerTable } from "./peer_table.ts";
import { announceSchedule, nextQueryDelay } from "./query_schedule.ts";
import {
  ADDRESS_FIELD,
  admit,
  BOOT_FIELD,
  GOODBYE_FIELD,
  hostLabel,
  MAX_SIGNED_ADDRESSES,
} from "./_admit.ts";
import { planReply } from "./_reply_plan.ts";
import { SourceLimiter } from "./_source_limiter.ts";
import {
  type Advertisement,
  announcementPacket,
  goodbyePacket,
  MDNS_PORT,
  queryPacket,
  recordsFor,
} from "./service_records.ts";
import { parseStaticPeers } from "./static_peers.ts";
import { type IdentityFetcher, PeerChecks, type PeerProbe } from "./peer_checks.ts";
import { buildTxt, type NodeTxtInput } from "./txt_record.ts";
import { signTxt } from "./txt_signature.ts";

/** Options of {@linkcode DiscoveryService}. */
export interface DiscoveryServiceOptions {
  /** The mDNS transport ({@linkcode MdnsSocket}), or `null` where multicast cannot work. Closed by `close()`. */
  transport: PacketTransport | null;
  /** The swarm token (64 hex digits): signs our TXT, verifies everyone else's. */
  token: string;
  /** What we announce; `apiPort` is the SRV port. */
  node: NodeTxtInput;
  /** Our host label (without `.local`); made DNS-safe. */
  hostname: string;
  /** Our IPv4 addresses, for A records. */
  addresses: readonly string[];
  /** Heartbeat for alive and suspect peers; without it only TTL expiry notices a silent peer. */
  probe?: PeerProbe | undefined;
  /** `host:port` entries polled with `fetchIdentity` (`MYCOSWARM_PEERS`). @default [] */
  staticPeers?: readonly string[];
  /** Needed when `staticPeers` is not empty. */
  fetchIdentity?: IdentityFetcher | undefined;
  /** The timings, so tests can run them fast. @default DEFAULT_DISCOVERY_CONFIG */
  config?: DiscoveryConfig;
  /** Injected so tests control time. @default systemClock */
  clock?: Clock;
  /**
   * This run's boot id, signed into every TXT, so that a peer takes a goodbye only
   * from the boot it knows (a replayed goodbye of an earlier run is refused).
   * @default 16 random hex digits
   */
  bootId?: string;
  /** Random numbers in [0, 1). @default Math.random */
  random?: () => number;
  /** Injected so tests fire timers by hand. @default systemTimers */
  timers?: Timers;
  /** Where dropped packets and failed sends are reported. @default silentLogger */
  logger?: Logger;
  /**
   * The table to fill, e.g. one the node API already reads; give it `selfId`.
   * @default a new table with this node's config and id
   */
  table?: PeerTable;
}

/** Counters for `/status` and tests. */
export interface DiscoveryStats {
  /** Datagrams received, ours included. */
  received: number;
  /** Datagrams sent. */
  sent: number;
  /** Datagrams that did not decode as DNS. */
  malformed: number;
  /** Datagrams dropped because too many were waiting. */
  dropped: number;
  /** Sends that failed. */
  sendErrors: number;
  /** Answers not sent because their querier had used up its budget (`answerBurst`). */
  limited: number;
}

/** How often peers are checked for TTL expiry: a TTL is 120 s, so a second is fine resolution. */
const TICK_INTERVAL_MS = 1_000;
/** Datagrams waiting to be handled, at most; mDNS tolerates loss, memory must stay bounded. */
const MAX_QUEUED_PACKETS = 64;

/**
 * mDNS / DNS-SD discovery for one node. `start()` announces (RFC 6762 §8.3,
 * re-signing the TXT with a fresh `ts` each time), browses at growing intervals,
 * answers queries for our service, instance and host, and re-announces every
 * `reannounceIntervalMs`, before the 120 s TTL lapses. Verified announcements go
 * into {@linkcode DiscoveryService.table}; unsigned, badly signed or stale ones
 * are counted there. Heartbeats and static peers feed it too. `close()` sends a
 * goodbye, clears every timer and closes the transport.
 *
 * @example
 * ```ts
 * const socket = await MdnsSocket.open();
 * const discovery = new DiscoveryService({ transport: socket, token, node, hostname,
 *   addresses: socket.addresses(), probe });
 * discovery.on((e) => console.log(e.type, e.peer.nodeId));
 * await discovery.start();
 * // ...
 * await discovery.close();
 * ```
 */
export class DiscoveryService {
  /** The peers found, their states and events. */
  readonly table: PeerTable;
  /** Our node id. */
  readonly nodeId: string;
  readonly #transport: PacketTransport | null;
  readonly #token: string;
  readonly #config: DiscoveryConfig;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #timers: Timers;
  readonly #logger: Logger;
  readonly #bootId: string;
  #node: NodeTxtInput;
  #hostname: string;
  #addresses: string[];
  #ad: Advertisement | null = null;
  #signedAt = -Infinity;
  #lastMulticastAt = -Infinity;
  readonly #pendingTimers = new Set<unknown>();
  readonly #work = new Set<Promise<unknown>>();
  readonly #checks: PeerChecks;
  #inbox: Promise<void> = Promise.resolve();
  #queued = 0;
  #running = false;
  #unsubscribe: (() => void) | null = null;
  #started: Promise<void> | null = null;
  #closed: Promise<void> | null = null;
  #warnedSend = false;
  readonly #stats: DiscoveryStats = {
    received: 0,
    sent: 0,
    malformed: 0,
    dropped: 0,
    sendErrors: 0,
    limited: 0,
  };
  readonly #limiter: SourceLimiter;

  /** Wires nothing yet: nothing is sent until {@linkcode DiscoveryService.start}. */
  constructor(options: DiscoveryServiceOptions) {
    this.#transport = options.transport;
    this.#token = options.token;
    this.#config = options.config ?? DEFAULT_DISCOVERY_CONFIG;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#bootId = options.bootId ?? randomBootId();
    this.#limiter = new SourceLimiter({
      burst: this.#config.answerBurst,
      refillMs: this.#config.answerRefillMs,
      maxSources: this.#config.maxAnswerSources,
    });
    this.#node = options.node;
    this.nodeId = options.node.nodeId;
    this.#hostname = hostLabel(options.hostname, this.nodeId);
    this.#addresses = [...options.addresses];
    this.table = options.table ??
      new PeerTable({ config: this.#config, selfId: this.nodeId, logger: this.#logger });
    const { peers, invalid } = parseStaticPeers(options.staticPeers ?? []);
    if (invalid.length > 0) {
      this.#logger.warn(`ignoring static peers that are not host:port: ${invalid.join(", ")}`);
    }
    if (peers.length > 0 && options.fetchIdentity === undefined) {
      this.#logger.warn("static peers are listed but cannot be polled (no fetchIdentity)");
    }
    this.#checks = new PeerChecks({
      table: this.table,
      selfId: this.nodeId,
      config: this.#config,
      clock: this.#clock,
      timers: this.#timers,
      logger: this.#logger,
      probe: options.probe,
      staticPeers: peers,
      fetchIdentity: options.fetchIdentity,
    });
  }

  /** Subscribes to peer events (join, update, suspect, dead, leave). */
  on(listener: PeerListener): () => void {
    return this.table.on(listener);
  }

  /** Snapshots of the known peers. */
  peers(): Peer[] {
    return this.table.peers();
  }

  /** Announcements not taken in, by reason. */
  rejected(): Partial<Record<RejectionReason, number>> {
    return this.table.rejected();
  }

  /** Packet counters. */
  stats(): DiscoveryStats {
    return { ...this.#stats };
  }

  /**
   * Starts announcing, browsing, answering, heartbeats and static polling.
   * Idempotent; resolves after the first announcement is sent.
   *
   * @throws {MycoError} `config_invalid` for a bad token, `invalid_input` for a bad node
   */
  start(): Promise<void> {
    if (this.#closed !== null) {
      return Promise.reject(createError("internal", "DiscoveryService was closed; make a new one"));
    }
    this.#started ??= this.#start();
    return this.#started;
  }

  /**
   * Changes what we announce (models installed, address changed) and announces
   * it at once (RFC 6762 §8.4).
   */
  async update(changes: { node?: NodeTxtInput; hostname?: string; addresses?: readonly string[] }) {
    if (changes.node !== undefined) {
      if (changes.node.nodeId !== this.nodeId) {
        throw createError("invalid_input", "update() cannot change the node id");
      }
      this.#node = changes.node;
    }
    if (changes.hostname !== undefined) this.#hostname = hostLabel(changes.hostname, this.nodeId);
    if (changes.addresses !== undefined) this.#addresses = [...changes.addresses];
    await this.#sign();
    if (this.#running && this.#transport !== null) await this.#track(this.#announce());
  }

  /** Resolves when no datagram, announcement or answer is in progress (heartbeats excepted). */
  async idle(): Promise<void> {
    while (this.#work.size > 0) await Promise.allSettled([...this.#work]);
  }

  /** Sends a goodbye, stops every timer and check, closes the transport. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  /** Closes the service, so `await using` sends the goodbye. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #start(): Promise<void> {
    await this.#sign(); // fails early on a bad token or node
    if (this.#closed !== null) return;
    this.#running = true;
    const config = this.#config;
    if (this.#transport !== null) {
      this.#unsubscribe = this.#transport.onPacket((bytes, from) => this.#receive(bytes, from));
      const offsets = announceSchedule(config);
      offsets.slice(1).forEach((offset, i) => {
        const last = i === offsets.length - 2;
        this.#after(offset, async () => {
          await this.#announce();
          if (last) this.#every(config.reannounceIntervalMs, () => this.#announce());
        });
      });
      this.#after(nextQueryDelay(0, { random: this.#random, config }), () => this.#browse(0));
      await this.#track(this.#announce());
    } else {
      this.#logger.info("mDNS is off: discovery uses static peers only");
    }
    const checks = this.#checks;
    if (checks.probes) this.#every(config.heartbeatIntervalMs, () => checks.heartbeat());
    this.#every(TICK_INTERVAL_MS, () => this.table.tick(this.#clock.now()));
    if (checks.polls) {
      checks.pollStatic();
      this.#every(config.heartbeatIntervalMs, () => checks.pollStatic());
    }
  }

  async #close(): Promise<void> {
    await this.#started?.catch(() => {});
    const wasRunning = this.#running;
    this.#running = false;
    for (const handle of this.#pendingTimers) this.#timers.clearTimeout(handle);
    this.#pendingTimers.clear();
    this.#unsubscribe?.();
    await Promise.all([this.idle(), this.#checks.close()]);
    if (wasRunning && this.#transport !== null) {
      try {
        await this.#send(goodbyePacket(await this.#sign({ goodbye: true })));
      } catch (error) {
        this.#logger.warn(`could not send the mDNS goodbye: ${error}`);
      }
    }
    await this.#transport?.close();
  }

  /** Runs `fn` after `ms` unless closed; async work it returns is tracked. */
  #after(ms: number, fn: () => unknown): void {
    const handle = this.#timers.setTimeout(() => {
      this.#pendingTimers.delete(handle);
      if (!this.#running) return;
      const result = fn();
      if (result instanceof Promise) this.#track(result);
    }, ms);
    this.#pendingTimers.add(handle);
  }

  /** Runs `fn` every `ms` until closed. */
  #every(ms: number, fn: () => unknown): void {
    this.#after(ms, () => {
      this.#every(ms, fn);
      return fn();
    });
  }

  #track<T>(promise: Promise<T>): Promise<void> {
    const tracked = promise.then(() => {}, (error) => {
      this.#logger.error(`discovery: ${error instanceof Error ? error.message : error}`);
    });
    this.#work.add(tracked);
    tracked.finally(() => this.#work.delete(tracked));
    return tracked;
  }

  /**
   * Signs our TXT afresh (new `ts`) and rebuilds the advertisement; with
   * `goodbye`, the TXT says `bye=1`, which only a stopping node signs.
   */
  async #sign(options: { goodbye?: boolean } = {}): Promise<Advertisement> {
    const now = this.#clock.now();
    // The addresses go under the signature too, so nobody can redirect peers to
    // another host by replaying our announcement with a different A record. The
    // boot id and `bye` let peers tell our goodbye from a replayed announcement.
    const fields = {
      ...buildTxt(this.#node, { now }),
      [ADDRESS_FIELD]: this.#addresses.slice(0, MAX_SIGNED_ADDRESSES).join(","),
      [BOOT_FIELD]: this.#bootId,
      ...(options.goodbye ? { [GOODBYE_FIELD]: "1" } : {}),
    };
    const txt = await signTxt(fields, this.#token);
    this.#ad = {
      nodeId: this.nodeId,
      hostname: this.#hostname,
      addresses: this.#addresses,
      port: this.#node.apiPort,
      txt,
    };
    this.#signedAt = now;
    return this.#ad;
  }

  /** Our advertisement, re-signed when its `ts` is a quarter of the way to stale. */
  #currentAd(): Promise<Advertisement> | Advertisement {
    const maxAgeMs = this.#config.maxAnnouncementAgeSeconds * 1000;
    const fresh = this.#clock.now() - this.#signedAt < maxAgeMs / 4;
    return fresh && this.#ad !== null ? this.#ad : this.#sign();
  }

  async #announce(): Promise<void> {
    const ad = await this.#sign();
    this.#lastMulticastAt = this.#clock.now();
    await this.#send(announcementPacket(ad));
  }

  async #browse(attempt: number): Promise<void> {
    const config = this.#config;
    this.#after(nextQueryDelay(attempt + 1, { random: this.#random, config }), () => {
      return this.#browse(attempt + 1);
    });
    // Our own PTR as a known answer (RFC 6762 §7.1) keeps us from answering our own query.
    const [ownPtr] = recordsFor(await this.#currentAd());
    const query = queryPacket({ knownAnswers: [ownPtr!] });
    // RFC 6762 §5.4: the first query after start-up asks for unicast answers (QU).
    const packet = attempt === 0
      ? { ...query, questions: query.questions.map((q) => ({ ...q, unicastResponse: true })) }
      : query;
    await this.#send(packet);
  }

  async #send(packet: DnsPacket, to?: RemoteInfo): Promise<void> {
    if (this.#transport === null) return;
    try {
      await this.#transport.send(encode(packet), to);
      this.#stats.sent++;
    } catch (error) {
      this.#stats.sendErrors++;
      if (!this.#warnedSend) {
        this.#warnedSend = true;
        this.#logger.warn(
          `mDNS send failed (${error instanceof Error ? error.message : error}); ` +
            "peers may not find this node: check multicast, or list peers in MYCOSWARM_PEERS",
        );
      }
    }
  }

  #receive(bytes: Uint8Array, from: RemoteInfo): void {
    if (!this.#running) return;
    this.#stats.received++;
    if (this.#queued >= MAX_QUEUED_PACKETS) {
      this.#stats.dropped++;
      return;
    }
    this.#queued++;
    // One at a time, in arrival order, so an announcement and its goodbye cannot swap.
    const next = this.#inbox.then(() => this.#running ? this.#handle(bytes, from) : undefined)
      .finally(() => this.#queued--);
    this.#inbox = this.#track(next);
  }

  async #handle(bytes: Uint8Array, from: RemoteInfo): Promise<void> {
    const packet = decode(bytes);
    if (packet === null) {
      this.#stats.malformed++;
      return;
    }
    if (packet.type === "query") return await this.#answer(packet, from);
    // RFC 6762 §6: responses must come from port 5353; others are not mDNS.
    if (from.port !== MDNS_PORT) return;
    for (const announcement of peerFromPacket(packet, { now: this.#clock.now() })) {
      if (announcement.nodeId === this.nodeId) continue; // our own, looped back
      const admission = await admit(announcement, {
        packet,
        from,
        known: this.table.get(announcement.nodeId),
        token: this.#token,
        now: this.#clock.now(),
        maxAgeSeconds: this.#config.maxAnnouncementAgeSeconds,
      });
      if (admission === null) continue;
      if ("reject" in admission) this.table.recordRejected(admission.reject);
      else this.table.observe(admission.take, this.#clock.now());
    }
  }

  async #answer(query: DnsPacket, from: RemoteInfo): Promise<void> {
    if (query.questions.length === 0) return;
    const response = answerFor(query, await this.#currentAd());
    if (response === null) return;
    const now = this.#clock.now();
    const plan = planReply(query, response, {
      from,
      now,
      lastMulticastAt: this.#lastMulticastAt,
      hostTtlSeconds: this.#config.hostTtlSeconds,
      random: this.#random,
    });
    if (plan.via === "none") return;
    // Each source gets a few answers, then one a second, unicast or multicast: a
    // flood of queries must not become a flood of (13 times larger) answers.
    if (!this.#limiter.take(`${from.address}:${from.port}`, now)) {
      this.#stats.limited++;
      return;
    }
    if (plan.via === "unicast") return await this.#send(plan.packet, plan.to);
    this.#lastMulticastAt = now + plan.delayMs;
    if (plan.delayMs === 0) return await this.#send(response);
    this.#after(plan.delayMs, () => this.#send(response));
  }
}

/** 64 random bits as hex: a boot id no earlier run of this node had. */
function randomBootId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
