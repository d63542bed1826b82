/**
 * Dispatch: run a task on the best node that will take it. Candidates are tried in score
 * order, at most {@linkcode MAX_DISPATCH_ATTEMPTS}, on dispatch errors (unreachable, timeout,
 * HTTP 5xx, a full queue, a node that stopped). A node that vanishes mid-task is replaced
 * only while none of its output has reached the caller; after that the caller gets a clear
 * error and keeps the part. A task that fails by itself (its handler failed, or the node
 * refused it as invalid) is not retried: it would fail the same way elsewhere.
 *
 * @module
 */

import { type Clock, createError, type Fetch, type Logger } from "../core/mod.ts";
import { systemTimers, type Timers } from "../core/mod.ts";
import type { PeerTable } from "../discovery/mod.ts";
import { type AttemptContext, RetryableError, runLocal, runRemote } from "./_attempt.ts";
import { InFlight } from "./in_flight.ts";
import { type NodeFacts, peerFacts } from "./node_facts.ts";
import { type Ranking, rankNodes } from "./scoring.ts";
import type { TaskQueue } from "./task_queue.ts";
import type { TaskInput } from "./types.ts";

export { TaskFailedError } from "./_attempt.ts";

/** The Python mycoSwarm's `MAX_DISPATCH_ATTEMPTS`. */
export const MAX_DISPATCH_ATTEMPTS = 3;
/** Said when no peer fits and this node runs the task although it lacks the capability. */
export const DEGRADED_NOTE = "no peer can take this; running here (degraded)";

/** This node, for routing: its facts and its queue. */
export interface LocalNode {
  /** This node's facts now, ranked with the peers'. */
  facts(): NodeFacts;
  /** Where the task runs when this node is chosen. */
  queue: TaskQueue;
}

/** What {@linkcode dispatchTask} needs. */
export interface DispatchOptions {
  /** The peers to choose from. */
  peers: PeerTable;
  /** This node, the fallback when no peer fits. */
  local: LocalNode;
  /** The swarm token peers require. */
  token: string;
  /** HTTP client for the peers' APIs. */
  fetch: Fetch;
  /** Times the attempts. */
  clock: Clock;
  /** Timeouts, so tests can run them by hand. @default systemTimers */
  timers?: Timers;
  /** Our tasks in flight per peer; shared by every dispatch of a node. @default a fresh one */
  inFlight?: InFlight;
  /** The ranking to follow. @default ranked now with {@linkcode rankTask} */
  ranking?: Ranking;
  /** Receives each piece of output, from whichever node produces it. */
  onToken?: (text: string) => void;
  /** Called each time a node accepts the task (again after a retry). */
  onAccepted?: (node: NodeFacts) => void;
  /** Receives {@linkcode DEGRADED_NOTE} when this node runs the task degraded. */
  onNote?: (note: string) => void;
  /** Stops the dispatch (the task's timeout, the caller leaving). */
  signal?: AbortSignal;
  /** Nodes to try before giving up. @default MAX_DISPATCH_ATTEMPTS */
  maxAttempts?: number;
  /** How long a peer may take to accept a task. @default 10000 (mycoSwarm's 10 s) */
  submitTimeoutMs?: number;
  /** Where failed attempts are reported. */
  logger?: Logger;
}

/** One node tried, and why it did not do the task (null: it did). */
export interface DispatchAttempt {
  /** The node tried. */
  nodeId: string;
  /** Its machine name, for messages. */
  hostname: string;
  /** Why it did not do the task, or null when it did. */
  error: string | null;
  /** How long the attempt took. */
  ms: number;
}

/** A dispatched task's outcome. */
export interface DispatchResult {
  /** The node that ran the task. */
  node: NodeFacts;
  /** The handler's result. */
  result: unknown;
  /** Every node tried, in order. */
  attempts: DispatchAttempt[];
  /** True when this node ran it without the capability, because no peer fits. */
  degraded: boolean;
}

/** Tasks waiting or running in this node's queue: its load term. */
export function localLoad(queue: TaskQueue): number {
  const { active, queued } = queue.stats();
  return active + queued;
}

/** Ranks the peers and this node (when its queue runs the type) for `task`. */
export function rankTask(
  task: Pick<TaskInput, "task_type" | "payload">,
  options: { peers: PeerTable; local: LocalNode; inFlight: InFlight },
): Ranking {
  const { peers, local, inFlight } = options;
  const here = local.facts();
  const runsHere = local.queue.handler(task.task_type) !== undefined;
  const nodes = peers.peers().map(peerFacts).filter((n) => n !== null);
  const ranking = rankNodes(
    task,
    runsHere ? [here, ...nodes] : nodes,
    (id) => (id === here.nodeId ? localLoad(local.queue) : inFlight.count(id)),
  );
  if (!runsHere) {
    const reason = `does not run ${task.task_type}`;
    ranking.excluded.unshift({ nodeId: here.nodeId, hostname: here.hostname, reason });
  }
  return ranking;
}

/**
 * Runs `task` on the best node that takes it.
 *
 * @returns the result and the node that ran it
 * @throws MycoError `swarm_unavailable` (503) when no node fits or every one tried failed;
 *   `node_lost` (502) when the node vanished after output reached the caller;
 *   {@linkcode TaskFailedError} when the task failed by itself; the signal's reason on abort
 * @example
 * ```ts
 * const { node, result } = await dispatchTask(
 *   { task_id: "t1", task_type: "inference", payload: { prompt: "hi" } },
 *   { peers, local, token, fetch, clock: systemClock, onToken: (t) => out.write(t) },
 * );
 * ```
 */
export async function dispatchTask(
  task: TaskInput & { task_id: string },
  options: DispatchOptions,
): Promise<DispatchResult> {
  const { local, clock } = options;
  const inFlight = options.inFlight ?? new InFlight();
  const ranking = options.ranking ?? rankTask(task, { ...options, inFlight });
  let candidates = ranking.candidates.map((c) => c.node);
  let degraded = false;
  if (candidates.length === 0) {
    if (local.queue.handler(task.task_type) === undefined) throw noNodeFits(task, ranking);
    candidates = [local.facts()];
    degraded = true;
    options.onNote?.(DEGRADED_NOTE);
  }
  let emitted = false;
  const ctx: AttemptContext = {
    peers: options.peers,
    queue: local.queue,
    localId: local.facts().nodeId,
    token: options.token,
    fetch: options.fetch,
    timers: options.timers ?? systemTimers,
    inFlight,
    submitTimeoutMs: options.submitTimeoutMs ?? 10_000,
    signal: options.signal,
    emit(text) {
      if (text === "") return;
      emitted = true;
      options.onToken?.(text);
    },
    accepted: (node) => options.onAccepted?.(node),
  };
  const attempts: DispatchAttempt[] = [];
  for (const node of candidates.slice(0, options.maxAttempts ?? MAX_DISPATCH_ATTEMPTS)) {
    options.signal?.throwIfAborted();
    const started = clock.now();
    const attempt = { nodeId: node.nodeId, hostname: node.hostname };
    try {
      const result = await (node.local ? runLocal : runRemote)(task, node, ctx);
      attempts.push({ ...attempt, error: null, ms: clock.now() - started });
      return { node, result, attempts, degraded };
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      attempts.push({ ...attempt, error: error.message, ms: clock.now() - started });
      if (emitted) {
        throw createError(
          "node_lost",
          `node ${label(node)} vanished mid-answer (${error.message}); the partial answer is kept`,
          { cause: error },
        );
      }
      options.logger?.info(`task ${task.task_id}: ${label(node)} ${error.message}; trying another`);
    }
  }
  const tried = attempts.map((a) => `${a.hostname} (${a.nodeId}): ${a.error}`).join("; ");
  throw createError(
    "swarm_unavailable",
    `No node could take the ${task.task_type} task: ${tried}`,
    { hint: "Retry later, or check the nodes with `mycoswarm swarm`" },
  );
}

function label(node: NodeFacts): string {
  return node.hostname === node.nodeId ? node.nodeId : `${node.hostname} (${node.nodeId})`;
}

/** The error when no node fits `task`, naming each node and why. */
export function noNodeFits(task: Pick<TaskInput, "task_type">, ranking: Ranking): Error {
  const why = ranking.excluded.map((e) => `${e.hostname} (${e.nodeId}): ${e.reason}`);
  return createError(
    "swarm_unavailable",
    `No node can take the ${task.task_type} task${why.length ? `: ${why.join("; ")}` : ""}`,
    { hint: "Start a daemon on a node that can; `mycoswarm swarm` lists the nodes" },
  );
}
