/**
 * The node's router, behind `POST /task`: a task runs in this node's queue when this node
 * is the best candidate (or nobody fits and this node can still try), else it is relayed.
 * A relayed task gets a record in a relay queue of its own — status, streamed output,
 * result and the node that ran it — so `GET /task/:id` and its stream work the same
 * whichever node does the work. The relay answers once a node accepted the task, so a
 * task no node takes is refused at once (503), not accepted and failed later.
 *
 * @module
 */

import { createError } from "../core/mod.ts";
import {
  DEGRADED_NOTE,
  type DispatchOptions,
  dispatchTask,
  noNodeFits,
  rankTask,
  TaskFailedError,
} from "./dispatch.ts";
import { InFlight } from "./in_flight.ts";
import { isSummary } from "./_summary.ts";
import type { RunTask } from "./run_task.ts";
import type { Ranking } from "./scoring.ts";
import { QueueBusyError, TaskQueue } from "./task_queue.ts";
import {
  TASK_TYPES,
  type TaskHandler,
  type TaskInput,
  type TaskRecord,
  type TaskType,
} from "./types.ts";

/** What {@linkcode TaskRouter} needs: what each relay's {@linkcode dispatchTask} gets, and more. */
export interface TaskRouterOptions
  extends
    Pick<DispatchOptions, "peers" | "local" | "token" | "fetch" | "clock" | "timers" | "logger"> {
  /** Relayed tasks followed at once; the rest wait. @default 256 (a relay is only I/O) */
  maxRelays?: number;
  /** @default crypto.randomUUID */
  newId?: () => string;
}

/** Where `POST /task` put a task. */
export interface RoutedTask {
  /** Its record: in the relay queue when relayed, else in this node's queue. */
  task: TaskRecord;
  /** Something the caller should hear, e.g. {@linkcode DEGRADED_NOTE}. */
  note: string | null;
}

interface Pending {
  ranking: Ranking;
  accepted: PromiseWithResolvers<void>;
  /** Releases the place held on the chosen node until its dispatch counts itself. */
  reserved: () => void;
}

/** Routes tasks to this node or a peer. Close it to abort the relays. */
export class TaskRouter {
  /** Records of relayed tasks. */
  readonly relay: TaskQueue;
  /** Our tasks in flight per peer. */
  readonly inFlight: InFlight = new InFlight();
  readonly #options: TaskRouterOptions;
  readonly #pending = new Map<string, Pending>();
  #warned = false;

  /** Routes over `options.local.queue` and a relay queue of its own; `close()` aborts the relays. */
  constructor(options: TaskRouterOptions) {
    this.#options = options;
    const handlers = Object.fromEntries(TASK_TYPES.map((type) => [type, this.#relayHandler(type)]));
    this.relay = new TaskQueue({
      handlers,
      nodeId: options.local.queue.nodeId,
      clock: options.clock,
      concurrency: options.maxRelays ?? 256,
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  /** The queue holding task `id`'s record, if any. */
  queueOf(id: string): TaskQueue | undefined {
    if (this.relay.has(id)) return this.relay;
    return this.#options.local.queue.has(id) ? this.#options.local.queue : undefined;
  }

  /**
   * Routes a task submitted by a client (not by another node).
   *
   * @throws as `TaskQueue.submit` for a bad task; MycoError `swarm_unavailable` when no node
   *   takes it; {@linkcode TaskFailedError} (with `refusal`) when the chosen peer refused it
   */
  async route(input: TaskInput): Promise<RoutedTask> {
    const { local, peers } = this.#options;
    const id = input.task_id ?? this.#options.newId?.() ?? crypto.randomUUID();
    if (this.queueOf(id) !== undefined) {
      throw createError("invalid_input", `task_id '${id}' is already in use`, { field: "task_id" });
    }
    const task = { ...input, task_id: id };
    let ranking = rankTask(task, { peers, local, inFlight: this.inFlight });
    const best = ranking.candidates[0];
    if (best === undefined) {
      const reachable = peers.reachable().length > 0;
      const runsHere = local.queue.handler(task.task_type) !== undefined;
      // Alone and unable: the queue's own error (400, "not run on this node") says it best.
      if (!runsHere && reachable) throw noNodeFits(task, ranking);
      const record = local.queue.submit(task);
      return { task: record, note: runsHere ? this.#degraded() : null };
    }
    if (best.node.local) {
      try {
        return { task: local.queue.submit(task), note: null };
      } catch (error) {
        // Full (or closing) here: the next candidates may take it.
        if (!(error instanceof QueueBusyError) || ranking.candidates.length < 2) throw error;
        ranking = { ...ranking, candidates: ranking.candidates.slice(1) };
      }
    }
    return await this.#relayTask(task, ranking);
  }

  /**
   * Runs a task of this node's own (its chat pipeline's answers and web lookups) through
   * the router, in process: the routing, failover, notes and cancellation of `POST /task`
   * without a round trip through HTTP. A {@linkcode RunTask}.
   */
  readonly runTask: RunTask = async (type, payload, run = {}) => {
    if (run.signal?.aborted) throw run.signal.reason;
    let routed: RoutedTask;
    try {
      routed = await this.route({
        task_type: type,
        payload,
        priority: run.priority ?? 5,
        timeout_seconds: run.timeoutSeconds ?? 300,
      });
    } catch (error) {
      // Full (or closing) with nobody else to take it: the swarm is busy, say so as such
      // (503 and Retry-After to the chat API's clients), not as a failed model.
      if (!(error instanceof QueueBusyError)) throw error;
      throw createError("swarm_unavailable", `No node can take the ${type} now: ${error.message}`, {
        cause: error,
      });
    }
    const { task, note } = routed;
    if (note !== null) run.onNote?.(note);
    const queue = this.queueOf(task.task_id)!;
    const ended = Promise.withResolvers<TaskRecord>();
    const cancel = () => queue.cancel(task.task_id);
    const unsubscribe = queue.subscribe(task.task_id, (event) => {
      if (event.type === "token") run.onToken?.(event.text);
      else ended.resolve(event.task);
    });
    if (unsubscribe === null) ended.resolve(queue.get(task.task_id) ?? task);
    run.signal?.addEventListener("abort", cancel, { once: true });
    if (run.signal?.aborted) cancel();
    try {
      const record = await ended.promise;
      run.onNode?.(record.node_id);
      if (record.status === "failed") {
        throw createError(
          run.failureCode ?? "swarm_unavailable",
          `${type} on ${record.node_id}: ${record.error}`,
        );
      }
      // Read back after its end (not heard): only a summary may be left. Never pass it on.
      if (isSummary(record.result)) {
        throw createError(
          run.failureCode ?? "swarm_unavailable",
          `${type} on ${record.node_id}: its result is no longer kept whole; run it again`,
        );
      }
      return record.result;
    } finally {
      unsubscribe?.();
      run.signal?.removeEventListener("abort", cancel);
    }
  };

  /** Aborts the relays (their tasks fail) and waits for them. Idempotent. */
  close(): Promise<void> {
    return this.relay.close();
  }

  async #relayTask(task: TaskInput & { task_id: string }, ranking: Ranking): Promise<RoutedTask> {
    const accepted = Promise.withResolvers<void>();
    // Counted on the chosen node at once: tasks routed in the same instant (a research's
    // parallel searches) then see it busy and spread, instead of all choosing it.
    const best = ranking.candidates[0];
    const reserved = best === undefined || best.node.local
      ? () => {}
      : this.inFlight.begin(best.node.nodeId);
    this.#pending.set(task.task_id, { ranking, accepted, reserved });
    let record: TaskRecord;
    try {
      record = this.relay.submit(task);
    } catch (error) {
      reserved();
      this.#pending.delete(task.task_id);
      throw error;
    }
    // A relay that ends before it starts (the node is closing) never reaches dispatch.
    const unsubscribe = this.relay.subscribe(task.task_id, (event) => {
      if (event.type === "end") {
        reserved();
        accepted.reject(createError("swarm_unavailable", event.task.error!));
      }
    });
    try {
      await accepted.promise;
    } finally {
      unsubscribe?.();
      this.#pending.delete(task.task_id);
    }
    return { task: this.relay.get(task.task_id) ?? record, note: null };
  }

  #relayHandler(type: TaskType): TaskHandler {
    return {
      validate: (payload) => this.#options.local.queue.handler(type)?.validate?.(payload),
      run: async (payload, ctx) => {
        const { task_id, priority, timeout_seconds } = ctx.task;
        const pending = this.#pending.get(task_id);
        const accepted = pending?.accepted ?? Promise.withResolvers<void>();
        accepted.promise.catch(() => {}); // settled here; awaited (if at all) by route()
        // The dispatch counts its own attempts: the place held since routing is given back
        // once a node accepted the task (counted by then), or when the dispatch ends.
        try {
          const { result } = await dispatchTask(
            { task_id, task_type: type, payload, priority, timeout_seconds },
            {
              ...this.#options,
              inFlight: this.inFlight,
              ...(pending ? { ranking: pending.ranking } : {}),
              signal: ctx.signal,
              onToken: ctx.emit,
              onAccepted: (node) => {
                pending?.reserved();
                ctx.relayedTo?.(node.nodeId);
                accepted.resolve();
              },
              onNote: () => this.#degraded(),
            },
          );
          return result;
        } catch (error) {
          accepted.reject(error);
          // The record keeps the message; the node's refusal details went to route().
          throw error instanceof TaskFailedError ? new Error(error.message) : error;
        } finally {
          pending?.reserved();
        }
      },
    };
  }

  /** Logs the degradation once per node; every caller still gets the note. */
  #degraded(): string {
    if (!this.#warned) {
      this.#warned = true;
      this.#options.logger?.warn(DEGRADED_NOTE);
    }
    return DEGRADED_NOTE;
  }
}
