/**
 * A hand-moved clock with timers, for the discovery service's tests. Not
 * exported from `mod.ts`.
 *
 * @module
 */
import type { Clock, Timers } from "../core/mod.ts";
import { T0 } from "./_test_fixtures.ts";

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** Time that moves only when told; timers fire in order as it moves. */
export class ManualTime implements Clock, Timers {
  #now: number;
  #seq = 0;
  readonly #pending = new Map<number, Pending>();

  constructor(start: number = T0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.#seq;
    this.#pending.set(id, { at: this.#now + Math.max(0, ms), seq: id, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order and letting the
   * async work each one starts finish (`settle`) before the next.
   */
  async advance(ms: number, settle: () => Promise<void>): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      let next: [number, Pending] | undefined;
      for (const entry of this.#pending) {
        const [, p] = entry;
        if (p.at > target) continue;
        if (
          next === undefined || p.at < next[1].at || (p.at === next[1].at && p.seq < next[1].seq)
        ) {
          next = entry;
        }
      }
      if (next === undefined) break;
      this.#pending.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].fn();
      await settle();
    }
    this.#now = target;
  }
}
