/**
 * Conversations over HTTP (`/v1/chat/completions`), through the same pipeline as `chat`:
 * intent, facts, recall, web, and a reflection when the session ends. A client names its
 * session (`X-Mycoswarm-Session`) and sends the whole conversation each time, as OpenAI
 * clients do; the session is saved after every answer as `api-<session>` (so `mycoswarm
 * chat --resume --session api-<session>` continues it), and ends — with a reflection —
 * when the client closes it, after it has been idle for a while, or when the daemon stops.
 * Requests without a session are one-off questions: answered, never reflected on.
 *
 * @module
 */

import type {
  ChatApi,
  ChatApiAnswer,
  ChatApiRequest,
  ChatApiSession,
  ChatApiSessionEnd,
} from "../api/mod.ts";
import { type Clock, createError, type Logger } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import { ChatSession, type ExchangeResult } from "./chat_session.ts";
import type { TurnContext } from "./pipeline.ts";
import { endSession } from "./session_end.ts";
import { checkSessionName, type TranscriptStore } from "./transcripts.ts";

/** Sessions idle this long are ended (and reflected on). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** Sessions kept open at once; past it, the least recently used one is ended. */
const MAX_OPEN_SESSIONS = 100;
/** How many closed sessions remember how far they were reflected on. */
const MAX_REMEMBERED = 1000;

/** What the service needs. */
export interface ApiChatOptions {
  /** The pipeline context; each session gets its own fork. */
  turns: TurnContext;
  client: ModelClient;
  transcripts: TranscriptStore;
  clock: Clock;
  logger: Logger;
  /** @default 30 minutes */
  idleMs?: number;
}

interface OpenSession {
  chat: ChatSession;
  lastUsed: number;
  /** Exchanges run one at a time per session. */
  busy: Promise<unknown>;
}

/** The API's conversations. */
export class ApiChatService implements ChatApi {
  readonly #options: ApiChatOptions;
  readonly #open = new Map<string, OpenSession>();
  /** Messages already reflected on, per closed session: a reopened one starts after them. */
  readonly #reflected = new Map<string, number>();

  constructor(options: ApiChatOptions) {
    this.#options = options;
  }

  chatModel(requested: string | null): Promise<string> {
    return this.#options.client.chatModel(requested);
  }

  async answer(request: ChatApiRequest): Promise<ChatApiAnswer> {
    const model = await this.chatModel(request.model);
    const appInstructions = request.messages.filter((m) => m.role === "system")
      .map((m) => m.content).join("\n\n");
    const conversation = request.messages.filter((m) => m.role !== "system") as {
      role: "user" | "assistant";
      content: string;
    }[];
    const options = {
      ...(request.onText ? { onText: request.onText } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(appInstructions ? { appInstructions } : {}),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
    };
    if (request.session === null) {
      const chat = this.#newChat(null, model, 0);
      return answerJson(await chat.answerConversation(conversation, options), model, null);
    }
    const name = request.session;
    checkSessionName(`api-${name}`);
    const open = await this.#session(name, model);
    const run = open.busy.then(() => {
      open.chat.model = model;
      return open.chat.answerConversation(conversation, options);
    });
    open.busy = run.catch(() => {});
    const result = await run;
    open.lastUsed = this.#options.clock.now();
    if (result.saveError) {
      this.#options.logger.warn(`chat API: session ${name} not saved: ${result.saveError}`);
    }
    return answerJson(result, model, name);
  }

  async close(session: string): Promise<ChatApiSessionEnd> {
    const open = this.#open.get(session);
    if (open === undefined) {
      throw createError("not_found", `No open session '${session}' (ended ones are in sessions/)`);
    }
    this.#open.delete(session);
    await open.busy;
    return await this.#reflect(session, open.chat);
  }

  sessions(): ChatApiSession[] {
    return [...this.#open].map(([session, open]) => ({
      session,
      messages: open.chat.size,
      updated: new Date(open.lastUsed).toISOString(),
    }));
  }

  /** Ends the sessions idle for longer than the idle time; returns how many. */
  async closeIdle(): Promise<number> {
    const limit = this.#options.clock.now() - (this.#options.idleMs ?? DEFAULT_SESSION_IDLE_MS);
    const idle = [...this.#open].filter(([, open]) => open.lastUsed <= limit).map(([s]) => s);
    for (const session of idle) await this.#closeQuietly(session, "idle");
    return idle.length;
  }

  /** Ends every open session (the daemon is stopping). */
  async closeAll(): Promise<void> {
    for (const session of [...this.#open.keys()]) await this.#closeQuietly(session, "shutdown");
  }

  async #closeQuietly(session: string, why: string): Promise<void> {
    const end = await this.close(session).catch((error) => ({ error: String(error) }));
    const { logger } = this.#options;
    if (end.error) logger.warn(`chat API: session ${session} (${why}): ${end.error}`);
    else logger.info(`chat API: session ${session} ended (${why})`);
  }

  async #session(name: string, model: string): Promise<OpenSession> {
    const found = this.#open.get(name);
    if (found !== undefined) return found;
    if (this.#open.size >= MAX_OPEN_SESSIONS) {
      const [oldest] = [...this.#open].sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0]!;
      await this.#closeQuietly(oldest, "too many open sessions");
    }
    const open: OpenSession = {
      chat: this.#newChat(name, model, this.#reflected.get(name) ?? 0),
      lastUsed: this.#options.clock.now(),
      busy: Promise.resolve(),
    };
    this.#open.set(name, open);
    return open;
  }

  #newChat(name: string | null, model: string, reflectedThrough: number): ChatSession {
    const { clock, client, transcripts, turns } = this.#options;
    const now = new Date(clock.now()).toISOString();
    const transcript = {
      name: name === null ? "api" : `api-${name}`,
      model,
      created: now,
      updated: now,
      message_count: 0,
      messages: [],
    };
    // A one-off question is not saved: it is not a session.
    const store = name === null ? { save: () => Promise.resolve("") } : transcripts;
    return new ChatSession(transcript, { client, store, clock, turns: turns.fork() }, {
      runStart: reflectedThrough,
    });
  }

  async #reflect(session: string, chat: ChatSession): Promise<ChatApiSessionEnd> {
    const base = { session, grounding: null, summary: null, tone: null, lessons: [] };
    const end = await endSession(chat, this.#options.client);
    if (end === null) return { ...base, reflected: false, indexed: false, error: null };
    this.#remember(session, chat.size);
    const { episode } = end;
    if (!episode.ok) return { ...base, reflected: false, indexed: false, error: episode.error };
    return {
      session,
      reflected: true,
      grounding: episode.grounding,
      summary: episode.reflection.summary,
      tone: episode.reflection.tone,
      lessons: episode.reflection.lessons,
      indexed: episode.indexed,
      error: null,
    };
  }

  #remember(session: string, messages: number): void {
    this.#reflected.delete(session);
    this.#reflected.set(session, messages);
    if (this.#reflected.size > MAX_REMEMBERED) {
      this.#reflected.delete(this.#reflected.keys().next().value!);
    }
  }
}

function answerJson(result: ExchangeResult, model: string, session: string | null): ChatApiAnswer {
  if (result.error !== null && result.text === "") throw result.error;
  const turn = result.turn;
  return {
    text: result.text,
    model,
    session,
    error: result.error === null ? null : describe(result.error),
    intent: turn ? { ...turn.decision.intent } : null,
    sources: turn?.prompt.sources ?? [],
    usage: result.usage,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
