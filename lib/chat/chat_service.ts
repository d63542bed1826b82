/**
 * The conversation service as its users see it — the node API's chat routes, in either wire
 * format, and tests that stand in for it: pick a model, answer a request through the whole
 * pipeline, end a session, list the open ones. {@linkcode Conversations} implements it.
 *
 * @module
 */

import type { Usage } from "../llm/mod.ts";

/** A message of a conversation, as a client sends it. */
export interface ChatServiceMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** One checked request: a conversation to continue (or a one-off question). */
export interface ChatServiceRequest {
  /** The session this continues; null: a one-off question, never saved or reflected on. */
  session: string | null;
  messages: ChatServiceMessage[];
  /** null: the swarm's largest chat model. */
  model: string | null;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  onText?: (text: string) => void;
}

/** The answer, with what the pipeline decided. */
export interface ChatServiceAnswer {
  text: string;
  model: string;
  session: string | null;
  /** Cut short by a failure (the partial text is kept, and saved with the session). */
  error: string | null;
  intent: { tool: string; mode: string; scope: string } | null;
  sources: { label: string; description: string }[];
  usage: Usage;
}

/** What ending a session did: its reflection, when there was one. */
export interface SessionEndReport {
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

/** An open session, as listed. */
export interface OpenSessionInfo {
  session: string;
  messages: number;
  /** ISO 8601 time of the last exchange. */
  updated: string;
}

/** The conversation service. */
export interface ChatService {
  /**
   * The model that will answer: `requested`, if some node has it, else the largest chat
   * model of the swarm.
   *
   * @throws MycoError `model_not_found` or `no_model`
   */
  chatModel(requested: string | null): Promise<string>;
  /** @throws MycoError for bad input, a missing model, an unreachable model server */
  answer(request: ChatServiceRequest): Promise<ChatServiceAnswer>;
  /** Ends a session: reflection, then it is forgotten here (its transcript stays on disk). */
  endSession(session: string): Promise<SessionEndReport>;
  sessions(): OpenSessionInfo[];
}
