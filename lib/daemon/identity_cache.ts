/** This node's identity, detected at start and detected again on a timer. */

import { type Logger, systemTimers, type Timers } from "../core/mod.ts";
import type { NodeIdentity } from "../node/mod.ts";

/** Holds the last detected identity; `start()` detects it again every `intervalMs`. */
export class IdentityCache {
  #current: NodeIdentity;
  #timer: unknown = null;
  #stopped = false;
  readonly #listeners = new Set<(identity: NodeIdentity) => void>();
  readonly #detect: () => Promise<NodeIdentity>;
  readonly #options: { logger: Logger; timers?: Timers | undefined };

  /** Starts from `first`; `detect` is what `start()` runs on its timer. */
  constructor(
    first: NodeIdentity,
    detect: () => Promise<NodeIdentity>,
    options: { logger: Logger; timers?: Timers | undefined },
  ) {
    this.#current = first;
    this.#detect = detect;
    this.#options = options;
  }

  /** The identity as last detected. */
  current = (): NodeIdentity => this.#current;

  /**
   * Detects again every `intervalMs`, one detection at a time; a failure keeps the old
   * identity. Idempotent.
   */
  start(intervalMs: number): void {
    const timers = this.#options.timers ?? systemTimers;
    const next = () => {
      this.#timer = timers.setTimeout(async () => {
        try {
          const fresh = await this.#detect();
          if (!this.#stopped) {
            this.#current = fresh;
            for (const listener of this.#listeners) listener(fresh);
          }
        } catch (error) {
          this.#options.logger.warn(`could not refresh this node's identity: ${error}`);
        }
        if (!this.#stopped) next();
      }, intervalMs);
    };
    if (this.#timer === null && !this.#stopped) next();
  }

  /** Calls `listener` after each refresh; returns the unsubscribe function. */
  onChange(listener: (identity: NodeIdentity) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops refreshing. Idempotent. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) (this.#options.timers ?? systemTimers).clearTimeout(this.#timer);
    this.#timer = null;
  }
}
