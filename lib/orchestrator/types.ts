/** Tasks as the node runs them: types, records, handlers and the timer seam. */

/** The task types a node understands (the Python mycoSwarm's names). */
export const TASK_TYPES = [
  "inference",
  "embedding",
  "intent_classify",
  "web_search",
  "web_fetch",
  "ping",
] as const;

/** One of {@linkcode TASK_TYPES}. */
export type TaskType = typeof TASK_TYPES[number];

/** True when `value` is one of {@linkcode TASK_TYPES}. */
export function isTaskType(value: unknown): value is TaskType {
  return (TASK_TYPES as readonly unknown[]).includes(value);
}

/** True when `value` may be a task id: 1–128 letters, digits or `. _ : -`. */
export function isTaskId(value: unknown): value is string {
  return typeof value === "string" && /^[\w.:-]{1,128}$/.test(value);
}

/** Where a task stands. */
export type TaskStatus = "pending" | "running" | "completed" | "failed";

/** A task's payload: a JSON object, its fields depending on the task type. */
export type TaskPayload = Record<string, unknown>;

/** What a caller submits. */
export interface TaskInput {
  /** The id to poll or stream the task with, unique on the node. @default a random UUID */
  task_id?: string;
  /** The task's kind, which picks its handler. */
  task_type: TaskType;
  /** The handler's input. */
  payload: TaskPayload;
  /** 1–10, higher runs first. @default 5 */
  priority?: number;
  /** Time the handler may take once running, 1–3600. @default 300 */
  timeout_seconds?: number;
}

/** A task and everything known about it. */
export interface TaskRecord {
  /** The task's id, unique on the node. */
  task_id: string;
  /** The task's kind, which picks its handler. */
  task_type: TaskType;
  /** The handler's input. */
  payload: TaskPayload;
  /** 1–10, higher runs first. */
  priority: number;
  /** Seconds the handler may take once running. */
  timeout_seconds: number;
  /** Where it stands. */
  status: TaskStatus;
  /** The handler's result once completed, else null. */
  result: unknown;
  /** Why it failed, else null. */
  error: string | null;
  /** When it was queued, started and finished, ms since the epoch. */
  created_at: number;
  /** When it started running, ms since the epoch; null while it waits. */
  started_at: number | null;
  /** When it finished, ms since the epoch; null until then. */
  finished_at: number | null;
  /** The node that ran (or runs) it. */
  node_id: string;
}

/** What a handler gets besides the payload. */
export interface TaskContext {
  /** The task, as submitted. */
  task: Readonly<TaskRecord>;
  /** Aborted at the task's timeout or when the queue closes. */
  signal: AbortSignal;
  /** Streams a piece of output (a token) to whoever watches the task. */
  emit(text: string): void;
  /** Records that another node runs the task (a relay): its `node_id` becomes that node's. */
  relayedTo?(nodeId: string): void;
}

/** Runs one task type. */
export interface TaskHandler {
  /**
   * Checks a payload before the task is queued, so bad input is refused at once.
   * @throws MycoError `invalid_input` naming the field, e.g. "payload.temperature ..."
   */
  validate?(payload: TaskPayload): void;
  /** Does the work; the resolved value becomes the task's result, a throw its error. */
  run(payload: TaskPayload, ctx: TaskContext): Promise<unknown>;
}

/** Handlers by task type; a missing one means this node cannot take the type. */
export type TaskHandlers = Partial<Record<TaskType, TaskHandler>>;

/** What a task's watcher hears: output pieces, then the end. */
export type TaskEvent =
  | { type: "token"; text: string }
  | { type: "end"; task: TaskRecord };

/** Receives task events, synchronously. */
export type TaskListener = (event: TaskEvent) => void;
