/**
 * The daemon's conversations (the node API's `/v1/chat/completions` and `/api/chat`),
 * through the same pipeline as `chat`: intent, facts, recall, web, and a reflection when the session ends. A client
 * names its session (`X-Mycoswarm-Session`) and sends the whole conversation each time, as
 * OpenAI and Ollama clients do; the session is saved after every answer as
 * `sessions/api-<session>.json`, and ends — with a reflection — when the client closes it,
 * after it has been idle for a while, or when the daemon stops. How far a conversation was
 * reflected on is saved with it (`reflected_through`), so neither a reopened session nor a
 * restarted daemon reflects the same messages twice, and a name reused for a new
 * conversation starts afresh. Requests without a session are one-off questions: answered,
 * never saved or reflected on.
 *
 * Once started, the service looks every `sweepMs` for idle sessions to end, and for an
 * embedding model that arrived after it started; closing it ends every open session.
 *
 * @module
 */

import {
  type Clock,
  createError,
  isMycoError,
  type Logger,
  systemTimers,
  type Timers,
} from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import {
  type ChatService,
  type ChatServiceAnswer,
  type ChatServiceRequest,
  type OpenSessionInfo,
  SessionBusyError,
  type SessionEndReport,
} from "./chat_service.ts";
import { ChatSession, type ExchangeOptions, type ExchangeResult } from "./chat_session.ts";
import { embedderFor } from "./embedder_for.ts";
import type { TurnContext } from "./pipeline.ts";
import { endSession } from "./session_end.ts";
import { answerJson, describe, endReport } from "./_conversation_replies.ts";
import { reflectedThrough } from "./reflection_state.ts";
import {
  describePendingSweep,
  type PendingOutcome,
  reflectPending,
} from "./pending_reflections.ts";
import { checkSessionName, type Transcript, type TranscriptStore } from "./transcripts.ts";

/** Sessions idle this long are ended (and reflected on). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** Sessions kept open at once; past it, the least recently used idle one is ended. */
export const MAX_OPEN_SESSIONS = 100;
/**
 * Requests of one session that may wait behind the one being answered. A session answers one
 * at a time, so more waiting means a client sending faster than it reads (or retrying in a
 * loop): each one waiting holds its request and a socket. Past it: {@linkcode SessionBusyError}.
 */
export const DEFAULT_MAX_WAITING_PER_SESSION = 4;

/** What the service needs. */
export interface ConversationsOptions {
  /** The pipeline context; each session gets its own fork. */
  turns: TurnContext;
  client: ModelClient;
  transcripts: TranscriptStore;
  clock: Clock;
  logger: Logger;
  /** @default systemTimers */
  timers?: Timers;
  /** @default 30 minutes */
  idleMs?: number;
  /** @default 100 */
  maxOpen?: number;
  /** How often idle sessions (and a late embedding model) are looked for. @default 60000 */
  sweepMs?: number;
  /** Requests of one session waiting behind the one answering, at most. @default 4 */
  maxWaiting?: number;
}

type Turn = { role: "user" | "assistant"; content: string };

interface OpenSession {
  /** Built at the first request, which brings the conversation to compare with the saved one. */
  chat: ChatSession | null;
  lastUsed: number;
  /** Requests in progress: a session answering is never idle. */
  active: number;
  /** Exchanges run one at a time per session. */
  busy: Promise<unknown>;
}

/** The daemon's conversations. */
export class Conversations implements ChatService {
  readonly #options: ConversationsOptions;
  readonly #open = new Map<string, OpenSession>();
  /** Reflections in progress, by session: a request for that name waits for its end. */
  readonly #closing = new Map<string, Promise<unknown>>();
  /** Requests of each session in progress: the one answering and those waiting. */
  readonly #requests = new Map<string, number>();
  #sweep: { timer: unknown; running: Promise<unknown> } | null = null;
  #stopped = false;

  /** Holds no session yet; `start()` begins the idle sweep, `close()` ends every session. */
  constructor(options: ConversationsOptions) {
    this.#options = options;
  }

  /** Starts looking for idle sessions (and a late embedding model) every `sweepMs`. Idempotent. */
  start(): void {
    if (this.#sweep !== null || this.#stopped) return;
    const timers = this.#options.timers ?? systemTimers;
    const sweep: { timer: unknown; running: Promise<unknown> } = {
      timer: null,
      running: Promise.resolve(),
    };
    const next = () => {
      sweep.timer = timers.setTimeout(() => {
        sweep.running = this.#upkeep().finally(() => {
          if (!this.#stopped) next();
        });
      }, this.#options.sweepMs ?? 60_000);
    };
    this.#sweep = sweep;
    next();
  }

  /**
   * Stops the sweep and ends every open session, reflecting on each, for at most
   * `deadlineMs`.
   *
   * @returns false when the deadline passed first (reflections are still running: whoever
   *   owns the memory must not close it)
   */
  async close(deadlineMs = 30_000): Promise<boolean> {
    this.#stopped = true;
    const timers = this.#options.timers ?? systemTimers;
    if (this.#sweep !== null) timers.clearTimeout(this.#sweep.timer);
    let timer: unknown;
    const late = new Promise<"late">((resolve) =>
      timer = timers.setTimeout(() => resolve("late"), deadlineMs)
    );
    const reflected = (this.#sweep?.running ?? Promise.resolve()).then(() => this.closeAll());
    const done = await Promise.race([reflected, late]);
    timers.clearTimeout(timer);
    return done !== "late";
  }

  /** One sweep: idle sessions end; an embedding model that arrived switches recall to meaning. */
  async #upkeep(): Promise<void> {
    const { logger } = this.#options;
    try {
      await this.closeIdle();
      await this.reflectPending();
      await this.#findEmbedderLate();
    } catch (error) {
      logger.warn(`chat API: upkeep (idle sessions, embedding model) failed: ${error}`);
    }
  }

  /**
   * Reflects the pending sessions of this home — chats whose reflection failed or never
   * ran, and this API's own ended ones — except those open here; a request for one being
   * reflected waits for it. Part of every sweep.
   */
  async reflectPending(): Promise<PendingOutcome[]> {
    const { transcripts, client, turns, logger } = this.#options;
    const api = (name: string) => name.startsWith("api-") ? name.slice(4) : null;
    const outcomes = await reflectPending({
      transcripts,
      client,
      turns,
      skip: (name) => {
        // Stopping, the daemon reflects its open sessions and leaves the rest for next time.
        if (this.#stopped) return true;
        const session = api(name);
        return session !== null && (this.#open.has(session) || this.#closing.has(session));
      },
      onReflect: (name, done) => {
        const session = api(name);
        if (session === null) return;
        this.#closing.set(session, done);
        done.then(() => {
          if (this.#closing.get(session) === done) this.#closing.delete(session);
        });
      },
    });
    const line = describePendingSweep(outcomes);
    if (line !== null) logger.info(`chat API: ${line}`);
    return outcomes;
  }

  /**
   * A daemon that started before its model server (or before `ollama pull
   * nomic-embed-text`) recalls by keywords only; this looks again.
   */
  async #findEmbedderLate(): Promise<void> {
    const { turns, client, logger } = this.#options;
    if (turns.embedder !== null) return;
    client.refresh();
    const { embedder } = await embedderFor(client);
    if (embedder === null) return;
    turns.useEmbedder(embedder);
    logger.info(`chat API: embedding model ${embedder.model} found; recall searches by meaning`);
  }

  chatModel(requested: string | null): Promise<string> {
    return this.#options.client.chatModel(requested);
  }

  /**
   * Answers a request; those of one session one at a time.
   *
   * @throws {@linkcode SessionBusyError} (at once) when the session has `maxWaiting`
   *   requests waiting already
   */
  async answer(request: ChatServiceRequest): Promise<ChatServiceAnswer> {
    const name = request.session;
    if (name === null) return await this.#answer(request);
    // Counted before the first await: requests sent together are all counted.
    const held = this.#requests.get(name) ?? 0;
    const maxWaiting = this.#options.maxWaiting ?? DEFAULT_MAX_WAITING_PER_SESSION;
    if (held > maxWaiting) throw new SessionBusyError(name, held - 1);
    this.#requests.set(name, held + 1);
    try {
      return await this.#answer(request);
    } finally {
      const left = (this.#requests.get(name) ?? 1) - 1;
      if (left > 0) this.#requests.set(name, left);
      else this.#requests.delete(name);
    }
  }

  async #answer(request: ChatServiceRequest): Promise<ChatServiceAnswer> {
    const model = await this.chatModel(request.model);
    // The session keeps the words: tool results, and a tool call's empty text, are the
    // application's business (they reach the model through `answerVia`, as the client sent them).
    const conversation = request.messages.filter((m) =>
      m.role === "user" || (m.role === "assistant" && m.content !== "")
    ) as Turn[];
    const appInstructions = request.messages.filter((m) => m.role === "system")
      .map((m) => m.content).join("\n\n");
    const options: ExchangeOptions = {
      ...(request.onText ? { onText: request.onText } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(appInstructions ? { appInstructions } : {}),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.maxTokens === undefined ? {} : { maxOutputTokens: request.maxTokens }),
      ...(request.answerVia ? { answerVia: request.answerVia } : {}),
    };
    const name = request.session;
    if (name === null) {
      const chat = this.#chatFor(null, model, null, 0);
      return answerJson(await chat.answerConversation(conversation, options), model, null);
    }
    checkSessionName(`api-${name}`);
    // A reflection of this session in progress ends first (checked again after each wait:
    // nothing may come between the last check and opening).
    for (let c = this.#closing.get(name); c !== undefined; c = this.#closing.get(name)) await c;
    const open = this.#opened(name);
    const { clock } = this.#options;
    open.active++;
    open.lastUsed = clock.now();
    const run = open.busy.then(async () => {
      open.chat ??= await this.#resume(name, model, conversation);
      open.chat.model = model;
      return await open.chat.answerConversation(conversation, options);
    });
    open.busy = run.catch(() => {});
    let result: ExchangeResult;
    try {
      result = await run;
    } finally {
      open.active--;
      open.lastUsed = clock.now();
    }
    if (result.saveError) {
      this.#options.logger.warn(`chat API: session ${name} not saved: ${result.saveError}`);
    }
    return answerJson(result, model, name);
  }

  endSession(session: string): Promise<SessionEndReport> {
    const open = this.#open.get(session);
    if (open === undefined) {
      return Promise.reject(
        createError("not_found", `No open session '${session}' (ended ones are in sessions/)`),
      );
    }
    this.#open.delete(session);
    const closing = open.busy.then(() =>
      open.chat === null ? endReport(session, null) : this.#reflect(session, open.chat)
    );
    const settled = closing.catch(() => {});
    this.#closing.set(session, settled);
    settled.then(() => {
      if (this.#closing.get(session) === settled) this.#closing.delete(session);
    });
    return closing;
  }

  sessions(): OpenSessionInfo[] {
    return [...this.#open].map(([session, open]) => ({
      session,
      messages: open.chat?.size ?? 0,
      updated: new Date(open.lastUsed).toISOString(),
    }));
  }

  /** Ends the sessions idle for longer than the idle time, checking each just before; returns how many. */
  async closeIdle(): Promise<number> {
    let closed = 0;
    for (const name of [...this.#open.keys()]) {
      const open = this.#open.get(name);
      if (open === undefined || !this.#idle(open)) continue;
      await this.#closeQuietly(name, "idle");
      closed++;
    }
    return closed;
  }

  /** Ends every open session and waits for every reflection (the daemon is stopping). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#open.keys()].map((name) => this.#closeQuietly(name, "shutdown")));
    await Promise.all([...this.#closing.values()]);
  }

  #idle(open: OpenSession): boolean {
    const idleMs = this.#options.idleMs ?? DEFAULT_SESSION_IDLE_MS;
    return open.active === 0 && open.lastUsed <= this.#options.clock.now() - idleMs;
  }

  async #closeQuietly(session: string, why: string): Promise<void> {
    const { logger } = this.#options;
    try {
      const end = await this.endSession(session);
      if (end.error) logger.warn(`chat API: session ${session} (${why}): ${end.error}`);
      else logger.info(`chat API: session ${session} ended (${why})`);
    } catch (error) {
      if (!isMycoError(error, "not_found")) {
        logger.warn(`chat API: session ${session} (${why}): ${error}`);
      }
    }
  }

  /** The open session `name`, opened now if need be (synchronously: no request races it). */
  #opened(name: string): OpenSession {
    const found = this.#open.get(name);
    if (found !== undefined) return found;
    const open: OpenSession = {
      chat: null,
      lastUsed: this.#options.clock.now(),
      active: 0,
      busy: Promise.resolve(),
    };
    this.#open.set(name, open);
    const max = this.#options.maxOpen ?? MAX_OPEN_SESSIONS;
    if (this.#open.size > max) {
      // The least recently used session not answering ends in the background.
      const [oldest] = [...this.#open]
        .filter(([n, o]) => n !== name && o.active === 0)
        .sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
      if (oldest) void this.#closeQuietly(oldest[0], "too many open sessions");
    }
    return open;
  }

  /**
   * The session as saved, when `conversation` continues it: its messages keep their times
   * and its reflection starts after what was reflected on. Otherwise (a new conversation
   * under a used name, or none saved) a fresh one.
   */
  async #resume(name: string, model: string, conversation: Turn[]): Promise<ChatSession> {
    const { transcripts, logger } = this.#options;
    let saved: Transcript | null = null;
    try {
      saved = await transcripts.load(`api-${name}`);
    } catch (error) {
      const aside = await transcripts.setAside(
        `api-${name}`,
        `damaged-${this.#options.clock.now()}`,
      );
      logger.warn(
        `chat API: ${describe(error)}; ${aside ? `kept as ${aside}` : "left as it is"}, ` +
          "the session starts afresh",
      );
    }
    if (saved !== null && continues(saved, conversation)) {
      return this.#chatFor(name, model, saved, reflectedThrough(saved) ?? 0);
    }
    if (saved !== null) {
      // Another conversation under this name: the saved one is kept under a name of its own.
      const stamp = new Date(this.#options.clock.now()).toISOString().replace(/[-:]|\.\d+/g, "");
      const kept = `api-${name}.until-${stamp}`;
      await transcripts.rename(`api-${name}`, kept).then(
        () =>
          logger.info(`chat API: session ${name} is a new conversation; the old one is ${kept}`),
        (error) => logger.warn(`chat API: could not keep the old session ${name}: ${error}`),
      );
    }
    return this.#chatFor(name, model, null, 0);
  }

  #chatFor(
    name: string | null,
    model: string,
    saved: Transcript | null,
    reflectedThrough: number,
  ): ChatSession {
    const { clock, client, transcripts, turns } = this.#options;
    const now = new Date(clock.now()).toISOString();
    const transcript: Transcript = saved ?? {
      name: name === null ? "api" : `api-${name}`,
      model,
      created: now,
      updated: now,
      message_count: 0,
      messages: [],
      extra: { reflected_through: 0 },
    };
    // A one-off question is not saved: it is not a session.
    const store = name === null ? { save: () => Promise.resolve("") } : transcripts;
    return new ChatSession(transcript, { client, store, clock, turns: turns.fork() }, {
      runStart: reflectedThrough,
    });
  }

  async #reflect(session: string, chat: ChatSession): Promise<SessionEndReport> {
    return endReport(session, await endSession(chat, this.#options.client));
  }
}

/** True when the conversation starts with every message the saved session holds. */
function continues(saved: Transcript, conversation: Turn[]): boolean {
  const had = saved.messages.filter((m) => m.role === "user" || m.role === "assistant");
  return had.length <= conversation.length &&
    had.every((m, i) => m.role === conversation[i]!.role && m.content === conversation[i]!.content);
}
