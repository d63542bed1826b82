/**
 * The peers this node knows, each in an explicit state (memberlist's
 * `NodeStateType`), with events for subscribers such as the orchestrator.
 * Pure: time comes in as arguments, nothing here sets a timer.
 *
 * | state   | announcement  | goodbye | heartbeat ok | heartbeat failed    | tick: no sign of life for TTL |
 * |---------|---------------|---------|--------------|---------------------|-------------------------------|
 * | (none)  | alive, join   | –       | –            | –                   | –                             |
 * | alive   | alive, update¹| left    | alive        | suspect             | dead                          |
 * | suspect | alive, update | left    | alive, update| dead at 3rd in a row| dead                          |
 * | dead    | alive, join   | left    | alive, join  | –                   | forgotten after grace         |
 * | left    | alive, join   | –       | –            | –                   | forgotten after grace         |
 *
 * ¹ only when host, port, addresses or TXT (other than `ts` and `sig`) changed.
 *
 * @module
 */
import type { Logger } from "../core/mod.ts";
import { DEFAULT_DISCOVERY_CONFIG, type DiscoveryConfig } from "./config.ts";
import type { Announcement } from "./parse_announcement.ts";
import type { VerifyFailure } from "./txt_signature.ts";

/** Where a peer stands. */
export type PeerState = "alive" | "suspect" | "dead" | "left";
/**
 * True for the states a peer can be routed to and asked: alive, and suspect (a missed
 * heartbeat is a warning, not yet a verdict).
 */
export function isReachable(state: PeerState | string): boolean {
  return state === "alive" || state === "suspect";
}

/** What subscribers hear. `suspect` is a warning; `dead` and `leave` mean stop routing. */
export type PeerEventType = "join" | "update" | "suspect" | "dead" | "leave";
/**
 * Why an announcement was not taken; counted for `/status`. `replay`: a signed
 * goodbye that is not the peer's own goodbye of its current boot.
 */
export type RejectionReason = VerifyFailure | "invalid_record" | "table_full" | "replay";

/** A snapshot of one peer. */
export interface Peer {
  /** The node id, unique in the swarm: the table's key. */
  nodeId: string;
  /** The DNS-SD instance name, to match goodbyes. */
  instance: string;
  /** The host name without `.local`, for people. */
  hostname: string;
  /** The addresses to reach the node's API, first one preferred. */
  addresses: string[];
  /** The node API port. */
  port: number;
  /** The TXT fields as announced (read with `readTxt`). */
  txt: Record<string, string>;
  /** Where the peer stands: only alive peers get work. */
  state: PeerState;
  /** When the state last changed, ms. */
  stateSince: number;
  /** Last announcement or successful heartbeat, ms. */
  lastSeen: number;
  /** Record TTL of the last announcement, seconds. */
  ttl: number;
  /** Consecutive failed heartbeats. */
  failures: number;
  /** Moving average of heartbeat round trips, or `null` before the first. */
  latencyMs: number | null;
}

/** One state change. */
export interface PeerEvent {
  /** What happened to the peer. */
  type: PeerEventType;
  /** The peer after the change. */
  peer: Peer;
}

/** Receives peer events, synchronously. */
export type PeerListener = (event: PeerEvent) => void;

/** Options of {@linkcode PeerTable}. */
export interface PeerTableOptions {
  /** The timings, so tests can run them fast. @default DEFAULT_DISCOVERY_CONFIG */
  config?: DiscoveryConfig;
  /** Our own node id: our own announcements are ignored. */
  selfId?: string;
  /** Where a failing listener is reported. */
  logger?: Logger;
}

/** The peer table: feed it observations, read snapshots, subscribe to events. */
export class PeerTable {
  readonly #config: DiscoveryConfig;
  readonly #selfId: string | undefined;
  readonly #logger: Logger | undefined;
  readonly #peers = new Map<string, Peer>();
  readonly #listeners = new Set<PeerListener>();
  readonly #rejected = new Map<RejectionReason, number>();

  /** An empty table: peers arrive through `observe`. */
  constructor(options: PeerTableOptions = {}) {
    this.#config = options.config ?? DEFAULT_DISCOVERY_CONFIG;
    this.#selfId = options.selfId;
    this.#logger = options.logger;
  }

  /**
   * Subscribes to events.
   *
   * @returns a function that unsubscribes
   */
  on(listener: PeerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Takes in a verified announcement (or goodbye) received at `now` (ms). */
  observe(announcement: Announcement, now: number): void {
    const { nodeId } = announcement;
    if (nodeId === this.#selfId) return;
    const peer = this.#peers.get(nodeId);
    if (announcement.goodbye) {
      if (peer !== undefined && peer.state !== "left") this.#move(peer, "left", now, "leave");
      return;
    }
    if (peer === undefined && this.#peers.size >= this.#config.maxPeers) {
      this.recordRejected("table_full");
      return;
    }
    const { instance, hostname, addresses, port, txt, ttl } = announcement;
    const next = { instance, hostname, addresses: [...addresses], port, txt: { ...txt }, ttl };
    if (peer === undefined) {
      const fresh: Peer = {
        nodeId,
        ...next,
        state: "alive",
        stateSince: now,
        lastSeen: now,
        failures: 0,
        latencyMs: null,
      };
      this.#peers.set(nodeId, fresh);
      this.#emit("join", fresh);
      return;
    }
    const changed = !sameDetails(peer, next);
    Object.assign(peer, next, { lastSeen: now, failures: 0 });
    if (peer.state === "dead" || peer.state === "left") this.#move(peer, "alive", now, "join");
    else if (peer.state === "suspect") this.#move(peer, "alive", now, "update");
    else if (changed) this.#emit("update", peer);
  }

  /** A heartbeat to `nodeId` answered at `now` after `latencyMs`. */
  heartbeatOk(nodeId: string, now: number, latencyMs: number): void {
    const peer = this.#peers.get(nodeId);
    if (peer === undefined || peer.state === "left") return;
    const alpha = this.#config.latencyEwmaAlpha;
    peer.latencyMs = peer.latencyMs === null
      ? latencyMs
      : alpha * latencyMs + (1 - alpha) * peer.latencyMs;
    peer.lastSeen = now;
    peer.failures = 0;
    if (peer.state === "dead") this.#move(peer, "alive", now, "join");
    else if (peer.state === "suspect") this.#move(peer, "alive", now, "update");
  }

  /** A heartbeat to `nodeId` failed (error or timeout) at `now`. */
  heartbeatFailed(nodeId: string, now: number): void {
    const peer = this.#peers.get(nodeId);
    if (peer === undefined || peer.state === "left" || peer.state === "dead") return;
    peer.failures += 1;
    if (peer.failures >= this.#config.failuresBeforeDead) this.#move(peer, "dead", now, "dead");
    else if (peer.state === "alive") this.#move(peer, "suspect", now, "suspect");
  }

  /**
   * Advances time: a peer with no announcement or good heartbeat for its record
   * TTL is dead; dead and left peers are forgotten after `forgetAfterMs`.
   */
  tick(now: number): void {
    for (const peer of [...this.#peers.values()]) {
      if (isReachable(peer.state)) {
        if (now >= peer.lastSeen + peer.ttl * 1000) this.#move(peer, "dead", now, "dead");
      } else if (now >= peer.stateSince + this.#config.forgetAfterMs) {
        this.#peers.delete(peer.nodeId);
      }
    }
  }

  /** Counts an announcement that was not taken in. */
  recordRejected(reason: RejectionReason): void {
    this.#rejected.set(reason, (this.#rejected.get(reason) ?? 0) + 1);
  }

  /** Rejected announcements so far, by reason. */
  rejected(): Partial<Record<RejectionReason, number>> {
    return Object.fromEntries(this.#rejected);
  }

  /** Snapshots of every known peer, in order of first sight. */
  peers(): Peer[] {
    return [...this.#peers.values()].map(copy);
  }

  /** Snapshots of the peers that can be routed to and asked ({@linkcode isReachable}). */
  reachable(): Peer[] {
    return this.peers().filter((peer) => isReachable(peer.state));
  }

  /** A snapshot of one peer, if known. */
  get(nodeId: string): Peer | undefined {
    const peer = this.#peers.get(nodeId);
    return peer === undefined ? undefined : copy(peer);
  }

  #move(peer: Peer, state: PeerState, now: number, event: PeerEventType): void {
    peer.state = state;
    peer.stateSince = now;
    this.#emit(event, peer);
  }

  #emit(type: PeerEventType, peer: Peer): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener({ type, peer: copy(peer) });
      } catch (error) {
        this.#logger?.error(`A peer ${type} listener failed: ${error}`);
      }
    }
  }
}

function copy(peer: Peer): Peer {
  return { ...peer, addresses: [...peer.addresses], txt: { ...peer.txt } };
}

type Details = Pick<Peer, "hostname" | "addresses" | "port" | "txt">;

/** True when nothing but the TXT timestamp and signature differs. */
function sameDetails(a: Details, b: Details): boolean {
  const strip = ({ ts: _ts, sig: _sig, ...rest }: Record<string, string>) => rest;
  const [ta, tb] = [strip(a.txt), strip(b.txt)];
  return a.hostname === b.hostname && a.port === b.port &&
    a.addresses.join() === b.addresses.join() &&
    Object.keys(ta).length === Object.keys(tb).length &&
    Object.entries(ta).every(([k, v]) => tb[k] === v);
}
