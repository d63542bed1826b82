/**
 * Every timing of a running node in one place, each with the reason for its value (in the
 * manner of memberlist's `DefaultLANConfig()`). Discovery's own timings sit in
 * {@linkcode DiscoveryConfig}; this holds that config too, as the daemon derives it.
 *
 * @module
 */

import type { Config } from "../config/mod.ts";
import {
  DEFAULT_DISCOVERY_CONFIG,
  type DiscoveryConfig,
  discoveryConfig,
} from "../discovery/mod.ts";

/** Timings of a running node. All durations in ms unless named `Seconds`. */
export interface DaemonConfig {
  /** How often the node detects its hardware and models again. */
  readonly identityRefreshMs: number;
  /** How often idle chat sessions (and a late embedding model) are looked for. */
  readonly chatSweepMs: number;
  /** How long a chat session may be idle before it ends, with a reflection. */
  readonly chatSessionIdleMs: number;
  /** How long the reflections of open chat sessions may take when the node stops. */
  readonly shutdownReflectionMs: number;
  /** How long open requests may take to finish once the node stops accepting. */
  readonly shutdownGraceMs: number;
  /** How long the swarm's model list is reused by the node's own chat. */
  readonly swarmModelsTtlMs: number;
  /** Longest one answer of the node's own chat may take. */
  readonly answerTimeoutSeconds: number;
  /** A new connection to the node API must send a whole request head within this. */
  readonly headerTimeoutMs: number;
  /** A kept-alive connection with no request in flight is closed after this. */
  readonly idleTimeoutMs: number;
  /** Connections the node API keeps open at once, from `[daemon] max_connections`. */
  readonly maxConnections: number;
  /** How often the memory database is checked for damage (when it changed since its last good check). */
  readonly memoryCheckMs: number;
  /** Discovery and peer health, with the heartbeat from `[daemon] heartbeat_seconds`. */
  readonly discovery: DiscoveryConfig;
}

/** The defaults, but for discovery's heartbeat, which the user's config sets. */
export const DEFAULT_DAEMON_CONFIG: Omit<DaemonConfig, "discovery" | "maxConnections"> = Object
  .freeze({
    // The Python mycoSwarm's period: hardware changes rarely and a model pull takes minutes,
    // so a pulled model reaches /identity, the announcement and routing within 30 s.
    identityRefreshMs: 30_000,
    // Sessions end after 30 idle minutes; looking every minute ends them at most a minute
    // late, for one cheap pass over a handful of open sessions.
    chatSweepMs: 60_000,
    // Home automation speaks in bursts: 30 minutes keeps one evening's exchanges together,
    // and a conversation is reflected on the same evening.
    chatSessionIdleMs: 30 * 60_000,
    // A reflection is one model call of a few seconds; 30 s covers several open sessions on
    // a slow CPU node, and SIGTERM's caller (systemd: 90 s) still sees the process end.
    shutdownReflectionMs: 30_000,
    // Open requests (a stream being relayed) get 5 s once running tasks are failed: enough
    // to write their last event, short enough for a restart to feel immediate.
    shutdownGraceMs: 5_000,
    // Nodes come and go and models are pulled while a daemon runs for days; 30 s matches
    // the identity refresh, so the list is never much older than the peers' announcements.
    swarmModelsTtlMs: 30_000,
    // A client on the LAN sends its request head in one packet, within milliseconds; 10 s
    // forgives a loaded Wi-Fi link and still frees a silent or half-sent connection's slot
    // long before a flood of them fills the connection cap.
    headerTimeoutMs: 10_000,
    // Clients reuse a connection for bursts (a chat turn, a heartbeat every 2 s); 30 s keeps
    // a heartbeat's connection warm and closes a forgotten one. A request being answered —
    // an answer streaming for minutes — is never idle.
    idleTimeoutMs: 30_000,
    // The node API's largest task timeout: an answer alone has no other limit.
    answerTimeoutSeconds: 3_600,
    // PRAGMA quick_check reads every page on the event loop (node:sqlite is synchronous):
    // 0.43 s for 190 MB measured on a 2-core VM, seconds for a big library. It runs only when
    // the file changed since its last good check (else it costs one stat), and every 6 hours
    // finds a damaged page the same day instead of at the next ingest, days later.
    memoryCheckMs: 6 * 3_600_000,
  });

/**
 * The node's timings for `config`: the defaults, with the heartbeat period from
 * `[daemon] heartbeat_seconds` and the check timeout kept below it.
 *
 * @example
 * ```ts
 * const timings = daemonConfig(config);
 * timings.discovery.heartbeatTimeoutMs; // 1500 for the default 2 s heartbeat
 * ```
 */
export function daemonConfig(config: Config, overrides: Partial<DaemonConfig> = {}): DaemonConfig {
  const intervalMs = config.daemon.heartbeatSeconds * 1000;
  const discovery = discoveryConfig({
    heartbeatIntervalMs: intervalMs,
    // A check must end before the next one starts: 3/4 of the interval, at most the default.
    heartbeatTimeoutMs: Math.min(DEFAULT_DISCOVERY_CONFIG.heartbeatTimeoutMs, intervalMs * 0.75),
  });
  return Object.freeze({
    ...DEFAULT_DAEMON_CONFIG,
    // 512 by default: half of the common 1,024-descriptor limit, leaving the rest for the
    // daemon's own sockets (peers, the model server, mDNS) and files (SQLite, transcripts).
    maxConnections: config.daemon.maxConnections,
    discovery,
    ...overrides,
  });
}
