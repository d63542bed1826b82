/**
 * The conversation service as its users see it — the node API's chat routes, in either wire
 * format, and tests that stand in for it: pick a model, answer a request through the whole
 * pipeline, end a session, list the open ones. {@linkcode Conversations} implements it.
 *
 * @module
 */

import type { ChatMessage, Usage } from "../llm/mod.ts";

/** A message of a conversation, as a client sends it. */
export interface ChatServiceMessage {
  /** Who wrote it; system messages become the app's instructions. */
  role: "system" | "user" | "assistant";
  /** The message's text. */
  content: string;
}

/** One checked request: a conversation to continue (or a one-off question). */
export interface ChatServiceRequest {
  /** The session this continues; null: a one-off question, never saved or reflected on. */
  session: string | null;
  /** The conversation so far, ending with the message to answer. */
  messages: ChatServiceMessage[];
  /** null: the swarm's largest chat model. */
  model: string | null;
  /** Sampling temperature. @default the model server's */
  temperature?: number;
  /** Most tokens the answer may take. @default the model server's */
  maxTokens?: number;
  /** Stops the answer (the client left); the partial text is kept. */
  signal?: AbortSignal;
  /** Receives each piece of the answer as it streams. */
  onText?: (text: string) => void;
  /**
   * Answers the prepared turn instead of the model client: the API passes the client's own
   * request through with the pipeline's prompt, so tools, images, structured output and
   * options reach the answering model, and its answer reaches the client in its own format.
   */
  answerVia?: Answerer;
}

/** What the pipeline prepared for the answering model. */
export interface PreparedPrompt {
  /** The answering model. */
  model: string;
  /** The system prompt: memory, recall, rules, then the application's own instructions. */
  system: string;
  /** The conversation as the session keeps it (text only). */
  history: ChatMessage[];
}

/** What an {@linkcode Answerer} brings back: the answer's text, for the session. */
export interface AnsweredTurn {
  /** The answer's text ("" for a tool call the application carries out). */
  text: string;
  /** Tokens, as the model server counted them. */
  usage: Usage;
  /** True when the client went away before the end. */
  aborted: boolean;
}

/** Answers a prepared turn some other way than the model client. */
export type Answerer = (prompt: PreparedPrompt, signal?: AbortSignal) => Promise<AnsweredTurn>;

/** The answer, with what the pipeline decided. */
export interface ChatServiceAnswer {
  /** The answer's text (partial when `error` is set). */
  text: string;
  /** The model that answered. */
  model: string;
  /** The session continued, or null for a one-off question. */
  session: string | null;
  /** Cut short by a failure (the partial text is kept, and saved with the session). */
  error: string | null;
  /** What the intent gate decided; null when the pipeline failed before it. */
  intent: { tool: string; mode: string; scope: string } | null;
  /** The sources the prompt labelled ([S1], [D1], [W1] ...), for listing after the answer. */
  sources: { label: string; description: string }[];
  /** Tokens, as the model server counted them. */
  usage: Usage;
}

/** What ending a session did: its reflection, when there was one. */
export interface SessionEndReport {
  /** The session ended. */
  session: string;
  /** False when it had fewer than 2 messages or memory is off. */
  reflected: boolean;
  /** How well the reflection is supported by the session, 0..1; null without one. */
  grounding: number | null;
  /** The reflection's summary, or null without one. */
  summary: string | null;
  /** The session's tone, or null without a reflection. */
  tone: string | null;
  /** What the session taught (empty without a reflection). */
  lessons: string[];
  /** False when grounding was too low for the summary to be recalled. */
  indexed: boolean;
  /** Why the reflection failed (the session's messages stay saved). */
  error: string | null;
}

/**
 * A session already has as many requests waiting as it may: its requests are answered one
 * at a time, and a client that sends faster than they are answered is told to slow down
 * rather than queued without end. The API answers 429 with `Retry-After`.
 */
export class SessionBusyError extends Error {
  /** Refuses a request to `session`, which has `waiting` requests waiting already. */
  constructor(readonly session: string, readonly waiting: number) {
    super(
      `Session '${session}' already has ${waiting} requests waiting behind the one being ` +
        "answered; wait for an answer before sending more",
    );
    this.name = "SessionBusyError";
  }
}

/** An open session, as listed. */
export interface OpenSessionInfo {
  /** The session's name. */
  session: string;
  /** How many messages it has. */
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
  /**
   * Answers a request through the whole pipeline, saving the session after the exchange.
   *
   * @throws MycoError for bad input, a missing model, an unreachable model server
   */
  answer(request: ChatServiceRequest): Promise<ChatServiceAnswer>;
  /** Ends a session: reflection, then it is forgotten here (its transcript stays on disk). */
  endSession(session: string): Promise<SessionEndReport>;
  /** The sessions open now, for `GET /v1/sessions`. */
  sessions(): OpenSessionInfo[];
}
