/**
 * When to send browse queries and start-up announcements (RFC 6762 §5.2, §8.3).
 * Pure: the socket owner asks for the next delay and sets its own timer.
 *
 * @module
 */
import { DEFAULT_DISCOVERY_CONFIG, type DiscoveryConfig } from "./config.ts";

/** Options of {@linkcode nextQueryDelay}. */
export interface QueryDelayOptions {
  /**
   * Random numbers in [0, 1).
   * @default Math.random
   */
  random?: () => number;
  /** @default DEFAULT_DISCOVERY_CONFIG */
  config?: DiscoveryConfig;
}

/**
 * How long to wait before browse query number `attempt` (0-based), counted from
 * the previous one (from start-up for attempt 0): a random 20–120 ms, then 1 s,
 * doubling each time, capped at 60 s.
 *
 * @param attempt 0 for the first query
 * @param options random source and config
 * @returns the delay in ms
 * @example
 * ```ts
 * [1, 2, 3, 7, 8].map((n) => nextQueryDelay(n)); // [1000, 2000, 4000, 60000, 60000]
 * ```
 */
export function nextQueryDelay(attempt: number, options: QueryDelayOptions = {}): number {
  const config = options.config ?? DEFAULT_DISCOVERY_CONFIG;
  if (attempt <= 0) {
    const span = config.queryInitialDelayMaxMs - config.queryInitialDelayMinMs;
    return config.queryInitialDelayMinMs + Math.floor((options.random ?? Math.random)() * span);
  }
  // Clamp the exponent so a long-running node does not compute 2 ** 10_000.
  const exponent = Math.min(attempt - 1, 32);
  return Math.min(config.queryFirstIntervalMs * 2 ** exponent, config.queryMaxIntervalMs);
}

/**
 * When to send the start-up announcements, in ms from start: the first at once,
 * then gaps of 1 s doubling each time (RFC 6762 §8.3: at least two, one second
 * apart, gaps at least doubling, at most eight).
 *
 * @param config count and first gap
 * @returns offsets from start, e.g. `[0, 1000, 3000]`
 */
export function announceSchedule(config: DiscoveryConfig = DEFAULT_DISCOVERY_CONFIG): number[] {
  const count = Math.min(Math.max(config.announceCount, 2), 8);
  const offsets = [0];
  for (let i = 1; i < count; i++) {
    offsets.push(offsets[i - 1]! + config.announceFirstIntervalMs * 2 ** (i - 1));
  }
  return offsets;
}
