/**
 * Timers as an injectable seam, like the clock: tests drive schedules (discovery
 * announcements, task timeouts) with a hand-moved clock instead of waiting.
 *
 * @module
 */

/** Sets and clears one-shot timers. */
export interface Timers {
  /** Calls `fn` once after `ms`; returns a handle for {@linkcode Timers.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer that has not fired; ignores unknown handles. */
  clearTimeout(handle: unknown): void;
}

/** The runtime's own timers. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};
