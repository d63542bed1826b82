/** What the node API needs from the node. */

import type { Clock, Logger } from "../core/mod.ts";
import type { PeerTable } from "../discovery/mod.ts";
import type { LoadInfo, NodeIdentity } from "../node/mod.ts";
import type { TaskQueue, TaskRouter } from "../orchestrator/mod.ts";

/** The node API's dependencies. */
export interface ApiDeps {
  /** This node as last detected (cached; the daemon refreshes it). */
  identity: () => NodeIdentity;
  peers: PeerTable;
  queue: TaskQueue;
  /**
   * Routes tasks from clients to the best node (tasks from other nodes, marked with
   * `X-Mycoswarm-Hop`, always run here). Without one, every task runs here.
   */
  router?: TaskRouter;
  /** The swarm token every route but `/health` requires. */
  token: string;
  clock: Clock;
  version: string;
  /** When the daemon started, ms since the epoch. */
  startedAt: number;
  /** The machine's current load. */
  load: () => Promise<LoadInfo>;
  /** Where unexpected errors are reported. */
  logger?: Logger;
  /** Largest request body accepted. @default 1048576 (1 MiB) */
  maxBodyBytes?: number;
  /** Retry-After sent with 503 when the queue is full. @default 5 */
  retryAfterSeconds?: number;
  /**
   * The conversation service behind `/v1/chat/completions` and `/v1/sessions`: the whole
   * pipeline (intent, memory, recall, web, reflection). Null while it starts; absent on a
   * node that serves no chat.
   */
  chat?: () => ChatApi | null;
}

/** A message of a conversation, as an API client sends it. */
export interface ChatApiMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** One checked request of `POST /v1/chat/completions`. */
export interface ChatApiRequest {
  /** The conversation this continues; null: a one-off question, never reflected on. */
  session: string | null;
  messages: ChatApiMessage[];
  /** null: the swarm's largest chat model. */
  model: string | null;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  onText?: (text: string) => void;
}

/** The answer, with what the pipeline decided. */
export interface ChatApiAnswer {
  text: string;
  model: string;
  session: string | null;
  /** Cut short by a failure (the partial text is kept, and saved with the session). */
  error: string | null;
  intent: { tool: string; mode: string; scope: string } | null;
  sources: { label: string; description: string }[];
  usage: { input_tokens: number | null; output_tokens: number | null };
}

/** What closing a session did: its reflection, when there was one. */
export interface ChatApiSessionEnd {
  session: string;
  /** False when it had fewer than 2 messages or memory is off. */
  reflected: boolean;
  grounding: number | null;
  summary: string | null;
  tone: string | null;
  lessons: string[];
  /** False when grounding was too low for the summary to be recalled. */
  indexed: boolean;
  /** Why the reflection failed (the session's messages stay saved). */
  error: string | null;
}

/** An open API session. */
export interface ChatApiSession {
  session: string;
  messages: number;
  /** ISO 8601 time of the last exchange. */
  updated: string;
}

/** The conversation service, as the API uses it. */
export interface ChatApi {
  /**
   * The model that will answer: `requested`, if some node has it, else the largest chat
   * model of the swarm.
   *
   * @throws MycoError `model_not_found` or `no_model`
   */
  chatModel(requested: string | null): Promise<string>;
  /** @throws MycoError for bad input, a missing model, an unreachable model server */
  answer(request: ChatApiRequest): Promise<ChatApiAnswer>;
  /** Ends a session: reflection, then it is forgotten here (its transcript stays on disk). */
  close(session: string): Promise<ChatApiSessionEnd>;
  sessions(): ChatApiSession[];
}
