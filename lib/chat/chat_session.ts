/** One conversation: its messages, its model, and saving it after every exchange. */

import { type Clock, createError } from "../core/mod.ts";
import type { ChatMessage, ModelClient, Usage } from "../llm/mod.ts";
import { factsUsedIn } from "../memory/mod.ts";
import type { Store } from "../store/mod.ts";
import type { Intent } from "../intent/mod.ts";
import { type PreparedTurn, prepareTurn, type TurnContext } from "./pipeline.ts";
import type { Transcript, TranscriptMessage, TranscriptStore } from "./transcripts.ts";
import type { Answerer } from "./chat_service.ts";
import { keepEvidence, keepMemories, markReflected, reflectedThrough } from "./reflection_state.ts";

/** How many past messages go to the model with each question (the rest stay on disk). */
export const HISTORY_LIMIT = 40;

/** What one exchange produced. */
export interface ExchangeResult {
  /** The answer's text (partial when interrupted). */
  text: string;
  /** True when Ctrl-C or a server failure cut the answer short. */
  interrupted: boolean;
  /** The failure, when the server failed; the partial answer is kept all the same. */
  error: unknown | null;
  /** Why the session could not be saved after this exchange, if it could not. */
  saveError: unknown | null;
  /** What the pipeline decided (intent, recall, prompt); null if it failed. */
  turn: PreparedTurn | null;
  /** How long the exchange took. */
  durationMs: number;
  /** Tokens, as the model server counted them (null when it did not say). */
  usage: Usage;
}

/** How one exchange runs. */
export interface ExchangeOptions {
  /** Receives each piece of the answer as it streams. */
  onText?: (text: string) => void;
  /** Stops the answer (Ctrl-C, the client leaving); the partial text is kept. */
  signal?: AbortSignal;
  /** Skips the intent gate (a slash command decided). */
  intent?: Intent;
  /** Instructions of the program the user talks through (an API client's system message). */
  appInstructions?: string;
  /** Sampling temperature. @default the model server's */
  temperature?: number;
  /** Most tokens the answer may take. @default the model server's */
  maxOutputTokens?: number;
  /**
   * Answers instead of the model client (the API's pass-through). With one, the question is
   * the conversation's last user message even when tool results follow it.
   */
  answerVia?: Answerer;
}

/** What a session talks to. */
export interface ChatSessionDeps {
  client: ModelClient;
  /** Where the session is saved after every exchange. */
  store: Pick<TranscriptStore, "save">;
  clock: Clock;
  /** Memory and the pipeline; its store is null when the database could not be opened. */
  turns: TurnContext;
}

/** A chat session bound to a model client and a transcript store. */
export class ChatSession {
  /** The session as saved: its name, model and messages. */
  readonly transcript: Transcript;
  /** Memory and models for this session's turns. */
  readonly turns: TurnContext;
  /** Where this run's messages start (earlier ones were resumed from disk). */
  readonly runStart: number;
  readonly #client: ModelClient;
  readonly #store: Pick<TranscriptStore, "save">;
  readonly #clock: Clock;

  /**
   * Binds a transcript, new or resumed from disk, to the model client and store in `deps`.
   *
   * @param options.runStart where this run's messages start, for the reflection at its end
   *   @default the messages the transcript already has
   */
  constructor(transcript: Transcript, deps: ChatSessionDeps, options: { runStart?: number } = {}) {
    this.transcript = transcript;
    this.turns = deps.turns;
    this.runStart = options.runStart ?? transcript.messages.length;
    this.#client = deps.client;
    this.#store = deps.store;
    this.#clock = deps.clock;
  }

  /** The memory database, when there is one. */
  get memory(): Store | null {
    return this.turns.store;
  }

  /** A new, empty session. */
  static create(name: string, model: string, deps: ChatSessionDeps): ChatSession {
    const now = new Date(deps.clock.now()).toISOString();
    const transcript = { name, model, created: now, updated: now, message_count: 0, messages: [] };
    markReflected(transcript, 0); // tracked from the start: a chat that never ends is pending
    return new ChatSession(transcript, deps);
  }

  /** The model that answers; setting it switches the session to another model. */
  get model(): string {
    return this.transcript.model;
  }

  set model(name: string) {
    this.transcript.model = name;
  }

  /** How many messages the session holds. */
  get size(): number {
    return this.transcript.messages.length;
  }

  /**
   * Asks the model, streaming the answer to `onText`, then saves the session.
   * A failure mid-answer keeps the partial answer (marked interrupted).
   */
  send(text: string, options: ExchangeOptions = {}): Promise<ExchangeResult> {
    const started = this.#clock.now();
    this.#append({ role: "user", content: text });
    return this.#exchange(text, started, options);
  }

  /**
   * Answers the last message of a conversation the caller keeps (an API client sends the
   * whole conversation each time): the session's messages become the conversation's, the
   * messages it already had keeping their times, and the last one, the user's, is answered.
   *
   * @throws MycoError `invalid_input` (field `messages`) when the last message is not the user's
   */
  answerConversation(
    messages: readonly { role: "user" | "assistant"; content: string }[],
    options: ExchangeOptions = {},
  ): Promise<ExchangeResult> {
    const last = options.answerVia ? messages.findLast((m) => m.role === "user") : messages.at(-1);
    if (last?.role !== "user" || last.content.trim() === "") {
      throw createError("invalid_input", "messages must end with the user's message", {
        field: "messages",
      });
    }
    const started = this.#clock.now();
    const now = new Date(started).toISOString();
    const had = this.transcript.messages.filter((m) => m.role === "user" || m.role === "assistant");
    this.transcript.messages = messages.map((m, i) => {
      const same = had[i]?.role === m.role && had[i]?.content === m.content;
      return same ? had[i]! : { role: m.role, content: m.content, timestamp: now };
    });
    this.transcript.message_count = this.transcript.messages.length;
    return this.#exchange(last.content, started, options);
  }

  async #exchange(
    text: string,
    started: number,
    options: ExchangeOptions,
  ): Promise<ExchangeResult> {
    const history: ChatMessage[] = this.transcript.messages
      .filter((m) => m.role === "user" || m.role === "assistant")
      .slice(-HISTORY_LIMIT)
      .map((m) => ({ role: m.role as "user" | "assistant", content: m.content }));
    let received = "";
    let usage: Usage = { inputTokens: null, outputTokens: null };
    let error: unknown = null;
    let interrupted = false;
    let turn: PreparedTurn | null = null;
    try {
      turn = await prepareTurn(text, this.turns, {
        model: this.model,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.intent ? { intent: options.intent } : {}),
      });
      const system = options.appInstructions
        ? `${turn.prompt.system}\n\n## Instructions from the application you answer through\n` +
          options.appInstructions
        : turn.prompt.system;
      const answer = options.answerVia
        ? await options.answerVia({ model: this.model, system, history }, options.signal)
        : await this.#client.chat({
          model: this.model,
          messages: history,
          instructions: system,
          ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
          ...(options.maxOutputTokens === undefined
            ? {}
            : { maxOutputTokens: options.maxOutputTokens }),
          onText: (piece) => {
            received += piece;
            options.onText?.(piece);
          },
          ...(options.signal ? { signal: options.signal } : {}),
        });
      received = answer.text;
      interrupted = answer.aborted;
      usage = answer.usage;
    } catch (failure) {
      error = failure;
      interrupted = true;
    }
    // An answer without text (a tool call, which the application carries out) is not kept.
    if (received !== "") {
      this.#append({
        role: "assistant",
        content: received,
        model: this.model,
        ...(interrupted ? { interrupted: true as const } : {}),
      });
    }
    const used = factsUsedIn(received, turn?.facts ?? []);
    try {
      if (used.length > 0) {
        this.memory?.facts.touch(used.map((f) => f.id), new Date(this.#clock.now()).toISOString());
      }
    } catch {
      // Which facts were used is a nicety; the exchange is saved all the same.
    }
    let saveError: unknown = null;
    await this.save().catch((failure) => (saveError = failure));
    return {
      text: received,
      interrupted,
      error,
      saveError,
      turn,
      durationMs: this.#clock.now() - started,
      usage,
    };
  }

  /** Forgets the conversation so far (the session keeps its name). */
  async clear(): Promise<void> {
    this.transcript.messages = [];
    if (reflectedThrough(this.transcript) !== null) markReflected(this.transcript, 0);
    await this.save();
  }

  /** Saves to disk; returns the file path. */
  save(): Promise<string> {
    this.transcript.updated = new Date(this.#clock.now()).toISOString();
    keepEvidence(this.transcript, this.turns.retrieved);
    keepMemories(this.transcript, this.turns.recalledClaims);
    return this.#store.save(this.transcript);
  }

  #append(
    message: { role: "user" | "assistant"; content: string; model?: string; interrupted?: true },
  ): void {
    const entry: TranscriptMessage = {
      ...message,
      timestamp: new Date(this.#clock.now()).toISOString(),
    };
    this.transcript.messages.push(entry);
    this.transcript.message_count = this.transcript.messages.length;
  }
}
