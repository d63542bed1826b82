/**
 * Test time, after `@std/testing/time`'s `FakeTime`: one clock with timers that moves only when
 * the test says. It stands in for every {@linkcode Clock} and {@linkcode Timers} the code takes.
 *
 * @example
 * ```ts
 * const time = new ManualTime(Date.UTC(2026, 0, 1));
 * time.setTimeout(() => console.log("fired"), 1000);
 * time.advance(1000); // logs "fired"
 * ```
 *
 * @module
 */

import type { Clock, Timers } from "../lib/core/mod.ts";

/** Where a {@linkcode ManualTime} starts unless told: 2026-01-01T00:00:00Z. */
export const START = Date.UTC(2026, 0, 1);

/** Options of {@linkcode ManualTime}. */
export interface ManualTimeOptions {
  /**
   * Milliseconds time moves each time `now()` is read; `now()` returns the time after the move,
   * for code that measures how long something took. @default 0
   */
  tick?: number;
}

interface Pending {
  at: number;
  callback: () => void;
}

/**
 * A clock plus timers. `advance(ms)` moves the time and fires what fell due, in order (earliest
 * first, then in the order set); `advanceAsync(ms, settle)` does the same but lets the async work
 * each timer starts finish before the next.
 */
export class ManualTime implements Clock, Timers {
  #now: number;
  #next = 1;
  readonly #tick: number;
  readonly #timers = new Map<number, Pending>();

  constructor(start: number = START, options: ManualTimeOptions = {}) {
    this.#now = start;
    this.#tick = options.tick ?? 0;
  }

  now(): number {
    if (this.#tick !== 0) this.advance(this.#tick);
    return this.#now;
  }

  /**
   * The time, ms. Setting it moves the clock there, firing the timers due on the way (none when
   * it goes back); reading it does not tick.
   */
  get time(): number {
    return this.#now;
  }

  set time(at: number) {
    if (at >= this.#now) this.advance(at - this.#now);
    else this.#now = at;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.#timers.delete(id as number);
  }

  /** Timers not yet fired or cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order; returns the new time. */
  advance(ms: number): number {
    const until = this.#now + ms;
    for (let due = this.#due(until); due !== undefined; due = this.#due(until)) due();
    this.#now = until;
    return until;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order and awaiting `settle` before the
   * first and after each, so the async work a timer starts finishes before the next fires.
   */
  async advanceAsync(
    ms: number,
    settle: () => Promise<void> = () => Promise.resolve(),
  ): Promise<number> {
    const until = this.#now + ms;
    await settle();
    for (let due = this.#due(until); due !== undefined; due = this.#due(until)) {
      due();
      await settle();
    }
    this.#now = until;
    return until;
  }

  /** Takes the next timer due by `until` and moves the clock to it; returns its callback. */
  #due(until: number): (() => void) | undefined {
    let next: [number, Pending] | undefined;
    // Map order is the order set, so the first of equal times wins.
    for (const entry of this.#timers) {
      if (entry[1].at <= until && (next === undefined || entry[1].at < next[1].at)) next = entry;
    }
    if (next === undefined) return undefined;
    this.#timers.delete(next[0]);
    this.#now = Math.max(this.#now, next[1].at);
    return next[1].callback;
  }
}
