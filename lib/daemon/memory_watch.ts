/** The daemon's schedule of memory checks: damage found while it runs turns memory off. */

import type { MemoryStatus } from "../chat/mod.ts";
import { type Logger, systemTimers, type Timers } from "../core/mod.ts";

/** Checks memory every `intervalMs` until stopped. */
export class MemoryWatch {
  readonly #check: () => MemoryStatus;
  readonly #options: { logger: Logger; timers?: Timers | undefined };
  #timer: unknown = null;

  /**
   * @param check one check (`TurnContext.checkMemory`)
   * @param options where a failed check is logged, and the timers
   */
  constructor(
    check: () => MemoryStatus,
    options: { logger: Logger; timers?: Timers | undefined },
  ) {
    this.#check = check;
    this.#options = options;
  }

  /** Starts checking every `intervalMs`; idempotent. A check after memory went off is skipped. */
  start(intervalMs: number): void {
    if (this.#timer !== null) return;
    const timers = this.#options.timers ?? systemTimers;
    const next = () => {
      this.#timer = timers.setTimeout(() => {
        let off = false;
        try {
          off = this.#check().state === "off"; // then nothing is left to check
        } catch (error) {
          this.#options.logger.warn(`memory check failed: ${(error as Error).message}`);
        }
        if (off) this.#timer = null;
        else next();
      }, intervalMs);
    };
    next();
  }

  /** Stops the checks; idempotent. */
  stop(): void {
    if (this.#timer === null) return;
    (this.#options.timers ?? systemTimers).clearTimeout(this.#timer);
    this.#timer = null;
  }
}
