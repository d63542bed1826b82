/** A time limit as an AbortSignal, joined with the caller's own signal. */

/** Fires at the deadline or when the caller cancels; dispose it to clear the timer. */
export interface Deadline extends Disposable {
  readonly signal: AbortSignal;
  /** True when the time ran out (not when the caller cancelled). */
  readonly expired: boolean;
  /** The time allowed, for messages. */
  readonly ms: number;
}

/**
 * Starts a deadline `ms` from now. Use with `using` so the timer is cleared
 * whatever happens (tests run with --trace-leaks).
 *
 * @example
 * ```ts
 * using limit = deadline(10_000, options.signal);
 * await fetch(url, { signal: limit.signal });
 * ```
 */
export function deadline(ms: number, outer?: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`No answer within ${ms} ms`, "TimeoutError"));
  }, ms);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener("abort", onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    ms,
    get expired() {
      return expired;
    },
    [Symbol.dispose]() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    },
  };
}
