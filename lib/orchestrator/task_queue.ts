/**
 * The node's task queue: bounded, ordered by priority (higher first, FIFO within one),
 * run with a concurrency limit, each task under its own timeout. Watchers subscribe to a
 * task's streamed output; finished tasks are kept for a while so clients can collect them.
 *
 * What a finished task keeps is bounded in bytes as well as in count, because a payload or
 * result can be large (an embedding task's vectors, a long answer) and a small node (a
 * Raspberry Pi) runs out of memory holding hundreds of them. Whoever waits at the end of a
 * task (a stream, a relay, `runTask`) gets the whole record in the end event; the retained
 * copy then keeps a payload over `retainItemBytes` as a summary (`{summarized: true, bytes,
 * ...first part}`) at once, and such a result whole for `keepFullMs` (a poller's or a
 * relay's stream may come a moment after the end), then as a summary too. Past
 * `retainBytes` in all, the oldest large results are summarized first, then the oldest
 * tasks forgotten.
 *
 * @module
 */

import { type Clock, createError, isMycoError, type Logger } from "../core/mod.ts";
import { systemTimers, type Timers } from "../core/mod.ts";
import { FinishedTasks, type RetainedStats } from "./_finished_tasks.ts";
import {
  isTaskId,
  type TaskContext,
  type TaskHandler,
  type TaskHandlers,
  type TaskInput,
  type TaskListener,
  type TaskRecord,
  type TaskType,
} from "./types.ts";

/** Options of {@linkcode TaskQueue}. */
export interface TaskQueueOptions {
  /** How each task type is run. */
  handlers: TaskHandlers;
  /** This node's id, written into every task. */
  nodeId: string;
  /** Stamps the task records' times. */
  clock: Clock;
  /** Runs the tasks' timeouts. @default systemTimers */
  timers?: Timers;
  /** Most tasks waiting; more are refused with {@linkcode QueueBusyError}. @default 100 */
  maxQueued?: number;
  /** Most tasks running at once. @default 2 */
  concurrency?: number;
  /** Finished tasks kept for `GET /task/:id`; older ones are forgotten. @default 500 */
  retain?: number;
  /**
   * Bytes (JSON length, estimated) all retained finished tasks may hold; past it the
   * oldest large results are summarized, then the oldest tasks forgotten. A node has two
   * queues (its own and its router's relay), so 32 MB each keeps a node under 64 MB of
   * finished work, which a Raspberry Pi can spare; 500 finished tasks of 1 MiB each held
   * 520 MB before. @default 32000000
   */
  retainBytes?: number;
  /**
   * A finished task's payload or result over this many bytes is kept as a summary: a
   * prompt, an answer or a few embeddings fit whole; a document's vectors do not.
   * @default 16384
   */
  retainItemBytes?: number;
  /**
   * How long a large result stays whole after its task ends, for whoever comes for it a
   * moment later: a relay opens the stream after the 202, a client polls `GET /task/:id`
   * every second or so. @default 60000
   */
  keepFullMs?: number;
  /** Makes the ids of tasks submitted without one. @default crypto.randomUUID */
  newId?: () => string;
  /** Where failures of handlers and listeners are reported. */
  logger?: Logger;
}

/** The queue cannot take a task now: it is full, or closed. */
export class QueueBusyError extends Error {
  /** Refuses a task because the queue is `full` or `closed`. */
  constructor(readonly reason: "full" | "closed", message: string) {
    super(message);
    this.name = "QueueBusyError";
  }
}

/** Counts for `/status`. */
export interface QueueStats {
  /** Tasks waiting. */
  queued: number;
  /** Tasks running. */
  active: number;
  /** Since start. */
  completed: number;
  /** Tasks failed since start. */
  failed: number;
  /** Most tasks waiting. */
  max_queued: number;
  /** Most tasks running at once. */
  concurrency: number;
}

interface Running {
  controller: AbortController;
  timer: unknown;
  listeners: Set<TaskListener>;
  /** Output so far, replayed to late subscribers. */
  output: string;
  settled: Promise<void>;
}

export type { RetainedStats } from "./_finished_tasks.ts";

/** A bounded priority queue of tasks with a concurrency limit. */
export class TaskQueue {
  readonly #options: Required<Omit<TaskQueueOptions, "logger">> & { logger?: Logger };
  readonly #pending: TaskRecord[] = [];
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #running = new Map<string, Running>();
  /** Listeners of pending tasks, moved to `#running` when they start. */
  readonly #waiting = new Map<string, Set<TaskListener>>();
  /** The finished tasks kept, within their limits. */
  readonly #finished: FinishedTasks;
  #completed = 0;
  #failed = 0;
  #closed: Promise<void> | null = null;

  /** Starts an empty queue; nothing runs until a task is submitted. */
  constructor(options: TaskQueueOptions) {
    this.#options = {
      timers: systemTimers,
      maxQueued: 100,
      concurrency: 2,
      retain: 500,
      retainBytes: 32_000_000,
      retainItemBytes: 16 * 1024,
      keepFullMs: 60_000,
      newId: () => crypto.randomUUID(),
      ...options,
    };
    this.#finished = new FinishedTasks(this.#tasks, this.#options);
  }

  /** The node id tasks run under. */
  get nodeId(): string {
    return this.#options.nodeId;
  }

  /** True once close() was called: the node is shutting down. */
  get closed(): boolean {
    return this.#closed !== null;
  }

  /** The handler of a task type, if this queue runs it. */
  handler(type: TaskType): TaskHandler | undefined {
    return this.#options.handlers[type];
  }

  /** True when this queue has an id (pending, running or retained). */
  has(taskId: string): boolean {
    return this.#tasks.has(taskId);
  }

  /**
   * Queues a task.
   *
   * @returns the task record (status "pending", or already "running")
   * @throws MycoError `invalid_input` for a task type without a handler, a bad payload or a
   *   task id in use; {@linkcode QueueBusyError} when full or closed
   */
  submit(input: TaskInput): TaskRecord {
    if (this.#closed !== null) {
      throw new QueueBusyError("closed", "This node is shutting down; send the task elsewhere");
    }
    const handler = this.#options.handlers[input.task_type];
    if (handler === undefined) {
      throw createError("invalid_input", `task_type '${input.task_type}' is not run on this node`, {
        field: "task_type",
      });
    }
    const id = input.task_id ?? this.#options.newId();
    if (!isTaskId(id)) {
      throw createError("invalid_input", "task_id must be 1–128 letters, digits or . _ : -", {
        field: "task_id",
      });
    }
    if (this.#tasks.has(id)) {
      throw createError("invalid_input", `task_id '${id}' is already in use`, { field: "task_id" });
    }
    checkRange("priority", input.priority, 1, 10, { integer: true });
    checkRange("timeout_seconds", input.timeout_seconds, 1, 3600, { integer: false });
    handler.validate?.(input.payload);
    if (this.#pending.length >= this.#options.maxQueued) {
      throw new QueueBusyError(
        "full",
        `Task queue full (${this.#options.maxQueued} tasks waiting); retry later`,
      );
    }
    const task: TaskRecord = {
      task_id: id,
      task_type: input.task_type,
      payload: input.payload,
      priority: input.priority ?? 5,
      timeout_seconds: input.timeout_seconds ?? 300,
      status: "pending",
      result: null,
      error: null,
      created_at: this.#options.clock.now(),
      started_at: null,
      finished_at: null,
      node_id: this.#options.nodeId,
    };
    this.#tasks.set(id, task);
    // After the last task of the same or a higher priority: FIFO within a priority.
    let at = this.#pending.length;
    while (at > 0 && this.#pending[at - 1]!.priority < task.priority) at--;
    this.#pending.splice(at, 0, task);
    this.#pump();
    return { ...task };
  }

  /** A snapshot of a task, if known (pending, running, or among the retained finished). */
  get(taskId: string): TaskRecord | undefined {
    this.#finished.expire();
    const task = this.#tasks.get(taskId);
    return task === undefined ? undefined : { ...task };
  }

  /**
   * Watches a pending or running task: output so far arrives at once as one token, then
   * each new piece, then the end. A finished task has nothing to watch: read it with get().
   *
   * @returns a function that unsubscribes, or null when the task is unknown or finished
   */
  subscribe(taskId: string, listener: TaskListener): (() => void) | null {
    const running = this.#running.get(taskId);
    if (running !== undefined) {
      if (running.output !== "") listener({ type: "token", text: running.output });
      running.listeners.add(listener);
      return () => running.listeners.delete(listener);
    }
    const task = this.#tasks.get(taskId);
    if (task?.status !== "pending") return null;
    const set = this.#waiting.get(taskId) ?? new Set();
    this.#waiting.set(taskId, set.add(listener));
    return () => set.delete(listener);
  }

  /** Counts for `/status`. */
  stats(): QueueStats {
    return {
      queued: this.#pending.length,
      active: this.#running.size,
      completed: this.#completed,
      failed: this.#failed,
      max_queued: this.#options.maxQueued,
      concurrency: this.#options.concurrency,
    };
  }

  /** What the retained finished tasks take up (their large results past `keepFullMs` summarized). */
  retained(): RetainedStats {
    return this.#finished.stats();
  }

  /**
   * Cancels a task: a waiting one fails at once, a running one is aborted (its handler's
   * signal fires; the task fails when the handler settles, or at once if it ignores the
   * signal). A finished task stays as it was.
   *
   * @returns the task as it is now, or undefined when unknown
   */
  cancel(taskId: string, why = "Cancelled by the client"): TaskRecord | undefined {
    const task = this.#tasks.get(taskId);
    if (task === undefined) return undefined;
    const waiting = this.#pending.indexOf(task);
    if (waiting >= 0) {
      this.#pending.splice(waiting, 1);
      this.#finish(task, undefined, why);
    }
    this.#running.get(taskId)?.controller.abort(createError("interrupted", why));
    return { ...task };
  }

  /**
   * Refuses new tasks, fails the waiting ones, aborts the running ones and clears their
   * timers. Idempotent.
   *
   * @returns when every running handler has settled
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      for (const task of this.#pending.splice(0)) {
        this.#finish(task, undefined, "The node shut down before the task started");
      }
      const settled = [...this.#running.values()].map((r) => {
        r.controller.abort(createError("interrupted", "The node shut down during the task"));
        return r.settled;
      });
      await Promise.all(settled);
    })();
    return this.#closed;
  }

  /** Closes the queue at the end of an `await using` block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #pump(): void {
    while (this.#running.size < this.#options.concurrency && this.#pending.length > 0) {
      this.#start(this.#pending.shift()!);
    }
  }

  #start(task: TaskRecord): void {
    const handler = this.#options.handlers[task.task_type]!;
    const { clock, timers } = this.#options;
    task.status = "running";
    task.started_at = clock.now();
    const controller = new AbortController();
    const seconds = task.timeout_seconds;
    const timer = timers.setTimeout(
      () => controller.abort(createError("interrupted", `Task timed out after ${seconds} s`)),
      seconds * 1000,
    );
    const running: Running = {
      controller,
      timer,
      listeners: this.#waiting.get(task.task_id) ?? new Set(),
      output: "",
      settled: Promise.resolve(),
    };
    this.#waiting.delete(task.task_id);
    this.#running.set(task.task_id, running);
    const ctx: TaskContext = {
      task: { ...task },
      signal: controller.signal,
      emit: (text) => {
        if (task.status !== "running" || text === "") return;
        running.output += text;
        this.#notify(running.listeners, { type: "token", text });
      },
      relayedTo: (nodeId) => {
        if (task.status === "running") task.node_id = nodeId;
      },
    };
    // The task ends at its timeout even when a handler ignores the signal.
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason), {
        once: true,
      });
    });
    const work = Promise.resolve().then(() => handler.run(task.payload, ctx));
    running.settled = Promise.race([work, aborted]).then(
      (result) => this.#finish(task, result, null),
      (error: unknown) => this.#finish(task, undefined, describeError(error)),
    );
    work.catch(() => {}); // a late failure after a timeout has nobody left to tell
  }

  #finish(task: TaskRecord, result: unknown, error: string | null): void {
    const running = this.#running.get(task.task_id);
    if (running !== undefined) {
      this.#options.timers.clearTimeout(running.timer);
      this.#running.delete(task.task_id);
    }
    task.status = error === null ? "completed" : "failed";
    task.result = error === null ? (result ?? null) : null;
    task.error = error;
    task.finished_at = this.#options.clock.now();
    if (error === null) this.#completed++;
    else this.#failed++;
    const listeners = running?.listeners ?? this.#waiting.get(task.task_id) ?? new Set();
    this.#waiting.delete(task.task_id);
    this.#notify(listeners, { type: "end", task: { ...task } });
    listeners.clear();
    this.#finished.add(task);
    if (this.#closed === null) this.#pump();
  }

  #notify(listeners: Set<TaskListener>, event: Parameters<TaskListener>[0]): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#options.logger?.error(`A task listener failed: ${error}`);
      }
    }
  }
}

function checkRange(
  field: string,
  value: number | undefined,
  min: number,
  max: number,
  { integer }: { integer: boolean },
): void {
  if (value === undefined) return;
  const ok = integer ? Number.isInteger(value) : Number.isFinite(value);
  if (!ok || value < min || value > max) {
    throw createError(
      "invalid_input",
      `${field} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}`,
      { field },
    );
  }
}

/** One line for a task's `error`: the message, plus the hint (e.g. the installed models). */
function describeError(error: unknown): string {
  if (isMycoError(error)) {
    return error.hint ? `${error.message} (${error.hint.replaceAll("\n", "; ")})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
