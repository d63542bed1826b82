/** This node's identity, detected at start and refreshed on a timer for the node API. */

import type { Logger } from "../core/mod.ts";
import type { NodeIdentity } from "../node/mod.ts";

/** The Python mycoSwarm's refresh period: hardware and models change slowly. */
export const IDENTITY_REFRESH_MS = 30_000;

/** Holds the last detected identity; `start()` re-detects every `intervalMs`. */
export class IdentityCache {
  #current: NodeIdentity;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  readonly #listeners = new Set<(identity: NodeIdentity) => void>();

  constructor(
    first: NodeIdentity,
    readonly detect: () => Promise<NodeIdentity>,
    readonly logger: Logger,
  ) {
    this.#current = first;
  }

  /** The identity as last detected. */
  current = (): NodeIdentity => this.#current;

  /** Re-detects every `intervalMs`, one detection at a time; a failure keeps the old one. */
  start(intervalMs = IDENTITY_REFRESH_MS): void {
    const next = () => {
      this.#timer = setTimeout(async () => {
        try {
          const fresh = await this.detect();
          if (!this.#stopped) {
            this.#current = fresh;
            for (const listener of this.#listeners) listener(fresh);
          }
        } catch (error) {
          this.logger.warn(`could not refresh this node's identity: ${error}`);
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
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
