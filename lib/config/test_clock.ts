/**
 * `MYCOSWARM_NOW`: a test-only override of "now", so end-to-end tests can move the clock
 * (recency, staleness, decay) through the CLI. Read here and nowhere else.
 */

import { type Clock, createError } from "../core/mod.ts";

/** The variable's name, for messages and the README. */
export const TEST_CLOCK_VARIABLE = "MYCOSWARM_NOW";

/**
 * The process's clock: `base` itself, or, when `MYCOSWARM_NOW` is set, a clock that starts
 * at that instant and advances with `base` (now = MYCOSWARM_NOW + time elapsed since this call).
 *
 * @param env the environment, as read at start
 * @param base the real clock
 * @returns the clock the process runs on
 * @throws {MycoError} `config_invalid` when the value is neither an ISO 8601 date-time
 *   nor milliseconds since the epoch
 * @example
 * ```ts
 * const clock = clockFromEnvironment({ MYCOSWARM_NOW: "2026-01-01T00:00:00Z" }, systemClock);
 * new Date(clock.now()).toISOString(); // "2026-01-01T00:00:00.0xxZ"
 * ```
 */
export function clockFromEnvironment(env: Readonly<Record<string, string>>, base: Clock): Clock {
  const value = env[TEST_CLOCK_VARIABLE];
  if (value === undefined || value === "") return base;
  const start = parseInstant(value);
  const origin = base.now();
  return { now: () => start + (base.now() - origin) };
}

function parseInstant(value: string): number {
  const text = value.trim();
  const ms = /^-?\d+$/.test(text) ? Number(text) : isoDateTime(text) ? Date.parse(text) : NaN;
  if (!Number.isSafeInteger(ms) || Number.isNaN(new Date(ms).getTime())) {
    throw createError(
      "config_invalid",
      `${TEST_CLOCK_VARIABLE}=${JSON.stringify(value)} is not a date-time`,
      {
        hint:
          `${TEST_CLOCK_VARIABLE} (for tests only) takes an ISO 8601 date-time such as 2026-03-01T09:00:00Z, or milliseconds since the epoch; unset it to use the real time.`,
      },
    );
  }
  return ms;
}

// A date alone ("2026-03-01") is read as UTC midnight by Date.parse, so it passes too; other
// free text ("tomorrow", "3/1/26") that Date.parse might guess at does not.
function isoDateTime(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text);
}
