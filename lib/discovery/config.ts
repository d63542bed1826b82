/**
 * Every timing constant of discovery, in one place, each with the reason for
 * its value (in the manner of memberlist's `DefaultLANConfig()`).
 *
 * @module
 */

/** Timing and sizing of mDNS discovery and peer health. All durations in ms unless named `Seconds`. */
export interface DiscoveryConfig {
  /** TTL of records that name a host (SRV, A). */
  readonly hostTtlSeconds: number;
  /** TTL of the other records (PTR, TXT). */
  readonly serviceTtlSeconds: number;
  /** How many announcements to send at start. */
  readonly announceCount: number;
  /** Gap between the first two announcements; later gaps double. */
  readonly announceFirstIntervalMs: number;
  /** How often to re-announce while running. */
  readonly reannounceIntervalMs: number;
  /** Bounds of the random delay before the first browse query. */
  readonly queryInitialDelayMinMs: number;
  /** Upper bound of the random delay before the first browse query. */
  readonly queryInitialDelayMaxMs: number;
  /** Gap between the first and second browse query; later gaps double. */
  readonly queryFirstIntervalMs: number;
  /** Largest gap between browse queries. */
  readonly queryMaxIntervalMs: number;
  /** How often each peer's `/health` is checked. */
  readonly heartbeatIntervalMs: number;
  /** How long one health check may take before it counts as failed. */
  readonly heartbeatTimeoutMs: number;
  /** Consecutive failed health checks after which a peer is dead. */
  readonly failuresBeforeDead: number;
  /** How long a dead or left peer stays visible before it is forgotten. */
  readonly forgetAfterMs: number;
  /** Oldest (or most future) TXT timestamp accepted, against replay. */
  readonly maxAnnouncementAgeSeconds: number;
  /** Weight of the newest sample in the latency moving average. */
  readonly latencyEwmaAlpha: number;
  /** Most peers kept; more are refused, so memory stays bounded. */
  readonly maxPeers: number;
  /** Answers (unicast or multicast) one source, `address:port`, can get at once. */
  readonly answerBurst: number;
  /** After its burst, a source gets one more answer every this many ms. */
  readonly answerRefillMs: number;
  /** Sources whose answer budget is remembered; the least recently seen is forgotten first. */
  readonly maxAnswerSources: number;
}

/** The defaults. Frozen: derive a changed copy with {@linkcode discoveryConfig}. */
export const DEFAULT_DISCOVERY_CONFIG: DiscoveryConfig = Object.freeze({
  // RFC 6762 §10: records containing a host name (A, SRV) SHOULD use 120 s, so a
  // vanished host ages out of caches within two minutes.
  hostTtlSeconds: 120,
  // RFC 6762 §10: all other records (PTR, TXT) SHOULD use 75 minutes.
  serviceTtlSeconds: 4500,
  // RFC 6762 §8.3: at least two announcements, one second apart, gaps at least
  // doubling (up to eight). A third one helps on lossy Wi-Fi multicast.
  announceCount: 3,
  announceFirstIntervalMs: 1_000,
  // 75 % of the 120 s host TTL: our re-announcement lands before the 80 % point at
  // which RFC 6762 §5.2 caches start re-querying, so a healthy node costs no queries.
  reannounceIntervalMs: 90_000,
  // RFC 6762 §5.2: the first query after a random 20–120 ms, so that nodes started
  // together (a power cut) do not all query at once.
  queryInitialDelayMinMs: 20,
  queryInitialDelayMaxMs: 120,
  // RFC 6762 §5.2: the gap between the first two queries is at least one second and
  // each later gap at least doubles.
  queryFirstIntervalMs: 1_000,
  // RFC 6762 §5.2 allows capping at 60 minutes; we cap at 60 s so a node that missed
  // every announcement (joined a busy Wi-Fi late) is still found within a minute.
  queryMaxIntervalMs: 60_000,
  // Every 2 s, so with 3 failures (below) a kill -9 is noticed in about 6–8 s, well
  // within the 10 s target (the Python reference takes 300 s). One GET per peer per
  // 2 s is negligible on a home LAN.
  heartbeatIntervalMs: 2_000,
  // Below the interval so checks never overlap; a LAN /health answers in milliseconds.
  heartbeatTimeoutMs: 1_500,
  // One miss is noise (a GC pause, a dropped packet): suspect. Three in a row is dead,
  // the same threshold as the reference's UNHEALTHY_THRESHOLD.
  failuresBeforeDead: 3,
  // A minute of grace keeps a departed peer visible in `swarm` and `/peers` as dead or
  // left, then drops it so the table does not grow with every node ever seen.
  forgetAfterMs: 60_000,
  // 300 s: several re-announcement periods (90 s) plus room for small clock skew between
  // home machines; older signed TXT is treated as a replay.
  maxAnnouncementAgeSeconds: 300,
  // 0.3: follows real changes within a few samples without jumping on one slow answer.
  latencyEwmaAlpha: 0.3,
  // A home swarm has a handful of nodes; 256 is generous and bounds memory.
  maxPeers: 256,
  // A querier asks the same question at most once a second, then less often (RFC 6762
  // §5.2), and §6 multicasts a record at most once a second. Four at once covers a
  // few nodes on one machine, which share 127.0.0.1:5353 or the host's address, all
  // starting together; past that one a second, so 500 queries from one source get a
  // handful of answers, not 500 (each answer is ~13 times the query's bytes).
  answerBurst: 4,
  answerRefillMs: 1_000,
  // Each remembered source costs well under 100 bytes; 1024 bound that to ~100 KB
  // even under a flood of (spoofed) sources. A forgotten source starts afresh.
  maxAnswerSources: 1_024,
});

/**
 * The defaults with some values replaced.
 *
 * @param overrides values to change
 * @returns a frozen config
 */
export function discoveryConfig(overrides: Partial<DiscoveryConfig> = {}): DiscoveryConfig {
  return Object.freeze({ ...DEFAULT_DISCOVERY_CONFIG, ...overrides });
}
