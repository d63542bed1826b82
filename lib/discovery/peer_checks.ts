/**
 * The checks discovery runs against peers, outside mDNS: heartbeats (an
 * injected probe, the daemon's `GET /health`) and polls of static peers (an
 * injected identity fetch). Each is bounded by the heartbeat timeout, and
 * their outcomes go into the peer table.
 *
 * @module
 */
import type { Clock, Logger, Timers } from "../core/mod.ts";
import type { DiscoveryConfig } from "./config.ts";
import type { Peer, PeerTable } from "./peer_table.ts";
import {
  staticAnnouncement,
  type StaticPeerAddress,
  type StaticPeerIdentity,
} from "./static_peers.ts";

/** What a heartbeat learned. */
export interface ProbeResult {
  /** Whether the peer answered in time: decides alive or another failure. */
  ok: boolean;
  /** Round trip, ms. */
  latencyMs: number;
}

/** Checks one peer (the daemon: `GET /health`). Should give up when `signal` aborts. */
export type PeerProbe = (peer: Peer, signal: AbortSignal) => Promise<ProbeResult>;

/** Asks a static peer who it is (the daemon: an authenticated `GET /identity`); `null` if unreachable. */
export type IdentityFetcher = (
  hostPort: string,
  signal: AbortSignal,
) => Promise<StaticPeerIdentity | null>;

/** What {@linkcode PeerChecks} needs. */
export interface PeerChecksOptions {
  table: PeerTable;
  selfId: string;
  config: DiscoveryConfig;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  probe?: PeerProbe | undefined;
  staticPeers?: readonly StaticPeerAddress[];
  fetchIdentity?: IdentityFetcher | undefined;
}

/** Heartbeats and static-peer polls, at most one in flight per peer. */
export class PeerChecks {
  readonly #options: PeerChecksOptions;
  #staticPeers: StaticPeerAddress[];
  /** Static entry → the node id that answered there. */
  readonly #staticIds = new Map<string, string>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #checking = new Set<string>();
  readonly #abort = new AbortController();

  constructor(options: PeerChecksOptions) {
    this.#options = options;
    this.#staticPeers = options.fetchIdentity === undefined ? [] : [...options.staticPeers ?? []];
  }

  /** True when there is a probe to run heartbeats with. */
  get probes(): boolean {
    return this.#options.probe !== undefined;
  }

  /** True when static peers are to be polled. */
  get polls(): boolean {
    return this.#staticPeers.length > 0;
  }

  /**
   * Probes every alive or suspect peer not already being checked; static
   * peers are left to their polls, so no peer is checked twice per interval.
   */
  heartbeat(): void {
    const { probe, table, clock } = this.#options;
    if (probe === undefined) return;
    const polled = new Set(this.#staticIds.values());
    for (const peer of table.reachable()) {
      const id = peer.nodeId;
      if (polled.has(id)) continue;
      this.#run(id, async () => {
        const result = await this.#bounded((signal) => probe(peer, signal));
        if (this.#abort.signal.aborted) return;
        const now = clock.now();
        if (result?.ok) table.heartbeatOk(id, now, result.latencyMs);
        else table.heartbeatFailed(id, now);
      });
    }
  }

  /** Polls every static peer: an answer counts as an announcement plus a good heartbeat. */
  pollStatic(): void {
    const { fetchIdentity, table, clock, config } = this.#options;
    if (fetchIdentity === undefined) return;
    for (const entry of this.#staticPeers) {
      this.#run(`static:${entry.hostPort}`, async () => {
        const started = clock.now();
        const identity = await this.#bounded((signal) => fetchIdentity(entry.hostPort, signal));
        if (this.#abort.signal.aborted) return;
        const now = clock.now();
        const ttlSeconds = config.hostTtlSeconds;
        const announcement = identity === null
          ? null
          : staticAnnouncement(entry, identity, { now, ttlSeconds });
        if (identity !== null && announcement === null) table.recordRejected("invalid_record");
        if (announcement === null) {
          const known = this.#staticIds.get(entry.hostPort);
          if (known !== undefined) table.heartbeatFailed(known, now);
          return;
        }
        if (announcement.nodeId === this.#options.selfId) {
          // The list names this node too (one list copied to every machine): stop polling it.
          this.#staticPeers = this.#staticPeers.filter((p) => p !== entry);
          return;
        }
        this.#staticIds.set(entry.hostPort, announcement.nodeId);
        table.observe(announcement, now);
        table.heartbeatOk(announcement.nodeId, now, now - started);
      });
    }
  }

  /** Aborts the checks in flight and waits for them; later results are dropped. Idempotent. */
  async close(): Promise<void> {
    this.#abort.abort();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #run(key: string, check: () => Promise<void>): void {
    if (this.#checking.has(key) || this.#abort.signal.aborted) return;
    this.#checking.add(key);
    const done = check()
      .catch((error) => this.#options.logger.error(`peer check ${key} failed: ${error}`))
      .finally(() => {
        this.#checking.delete(key);
        this.#inFlight.delete(done);
      });
    this.#inFlight.add(done);
  }

  /**
   * Runs a check with the heartbeat timeout; `null` on timeout, error or close.
   * Resolves even if `fn` ignores its signal, so close() never hangs on a peer.
   */
  #bounded<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T | null> {
    const { timers, config } = this.#options;
    const controller = new AbortController();
    const stop = () => controller.abort();
    this.#abort.signal.addEventListener("abort", stop, { once: true });
    let handle: unknown;
    return new Promise<T | null>((resolve) => {
      handle = timers.setTimeout(() => {
        controller.abort();
        resolve(null);
      }, config.heartbeatTimeoutMs);
      controller.signal.addEventListener("abort", () => resolve(null), { once: true });
      Promise.resolve().then(() => fn(controller.signal)).then(resolve, () => resolve(null));
    }).finally(() => {
      timers.clearTimeout(handle);
      this.#abort.signal.removeEventListener("abort", stop);
    });
  }
}
