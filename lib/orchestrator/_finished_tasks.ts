/**
 * The finished tasks a queue keeps for `GET /task/:id`, bounded in count and in bytes: a
 * payload over `retainItemBytes` is kept as a summary at once, a large result stays whole for
 * `keepFullMs` (a relay opening its stream after the 202 still reads it) and then becomes a
 * summary, and past `retainBytes` in all the oldest large results are summarized first, then
 * the oldest tasks forgotten. The tasks' listeners heard each end whole before any of this.
 *
 * @module
 */

import type { Clock } from "../core/mod.ts";
import { isSummary, jsonBytes, summarize } from "./_summary.ts";
import type { TaskPayload, TaskRecord } from "./types.ts";

/** What the finished tasks a queue keeps take up. */
export interface RetainedStats {
  /** Finished tasks kept. */
  tasks: number;
  /** Their payloads' and results' size (JSON length, estimated). */
  bytes: number;
  /** Of those tasks, how many keep a large result whole (for a little while). */
  full: number;
}

/** The size a finished task is counted for, and until when a large result stays whole. */
interface Kept {
  bytes: number;
  resultBytes: number;
  fullUntil: number | null;
}

/** The limits, as `TaskQueueOptions` gives them. */
interface Limits {
  retain: number;
  retainBytes: number;
  retainItemBytes: number;
  keepFullMs: number;
  clock: Clock;
}

/** The finished tasks of one queue: kept in `tasks` (the queue's map), within the limits. */
export class FinishedTasks {
  readonly #tasks: Map<string, TaskRecord>;
  readonly #limits: Limits;
  /** Finished tasks, oldest first. */
  readonly #order: string[] = [];
  readonly #kept = new Map<string, Kept>();
  /** Finished tasks that keep a large result whole, oldest first. */
  readonly #full: string[] = [];
  #bytes = 0;

  constructor(tasks: Map<string, TaskRecord>, limits: Limits) {
    this.#tasks = tasks;
    this.#limits = limits;
  }

  /** What the kept tasks take up (large results past `keepFullMs` summarized first). */
  stats(): RetainedStats {
    this.expire();
    return { tasks: this.#order.length, bytes: this.#bytes, full: this.#full.length };
  }

  /** Keeps a finished task (its listeners already have it whole), within the limits. */
  add(task: TaskRecord): void {
    const { retain, retainBytes, retainItemBytes, keepFullMs } = this.#limits;
    let payloadBytes = jsonBytes(task.payload);
    if (payloadBytes > retainItemBytes) {
      task.payload = summarize(task.payload, payloadBytes) as unknown as TaskPayload;
      payloadBytes = jsonBytes(task.payload);
    }
    const resultBytes = jsonBytes(task.result);
    const large = resultBytes > retainItemBytes;
    const kept: Kept = {
      bytes: payloadBytes + resultBytes,
      resultBytes,
      fullUntil: large ? (task.finished_at ?? 0) + keepFullMs : null,
    };
    this.#order.push(task.task_id);
    this.#kept.set(task.task_id, kept);
    this.#bytes += kept.bytes;
    if (large) this.#full.push(task.task_id);
    this.expire();
    while (this.#order.length > retain) this.#forgetOldest();
    while (this.#bytes > retainBytes && this.#order.length > 0) {
      // A large result is given up before a whole task: it frees the most.
      const oldest = this.#full[0];
      if (oldest !== undefined) this.#summarize(oldest);
      else this.#forgetOldest();
    }
  }

  /** Summarizes the large results kept whole for longer than `keepFullMs`. */
  expire(): void {
    const now = this.#limits.clock.now();
    for (let id = this.#full[0]; id !== undefined; id = this.#full[0]) {
      const until = this.#kept.get(id)?.fullUntil ?? -Infinity;
      if (until > now) break;
      this.#summarize(id);
    }
  }

  /** Replaces the oldest whole large result `id` (the head of `#full`) by its summary. */
  #summarize(id: string): void {
    this.#full.shift();
    const task = this.#tasks.get(id);
    const kept = this.#kept.get(id);
    if (task === undefined || kept === undefined || isSummary(task.result)) return;
    const before = kept.resultBytes;
    task.result = summarize(task.result, before);
    const after = jsonBytes(task.result);
    kept.bytes += after - before;
    kept.resultBytes = after;
    kept.fullUntil = null;
    this.#bytes += after - before;
  }

  #forgetOldest(): void {
    const id = this.#order.shift()!;
    this.#tasks.delete(id);
    this.#bytes -= this.#kept.get(id)?.bytes ?? 0;
    this.#kept.delete(id);
    const at = this.#full.indexOf(id);
    if (at >= 0) this.#full.splice(at, 1);
  }
}
