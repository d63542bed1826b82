/**
 * What the chat routes share, whatever their wire format (OpenAI's under `/v1`, Ollama's
 * under `/api`): the service or why there is none, the swarm's models, and an answer in
 * progress — its pieces as they come, its first text, its end, its abort.
 *
 * @module
 */

import { ApiError } from "./api_error.ts";
import { EventChannel } from "./_event_channel.ts";
import type { ChatRequestFields } from "./chat_body.ts";
import { type SwarmModel, swarmModelList } from "../orchestrator/mod.ts";
import { peerJson } from "./peer_json.ts";
import type {
  ChatService,
  ChatServiceAnswer,
  ChatServiceRequest,
  MemoryStatus,
} from "../chat/mod.ts";
import type { ApiDeps } from "./types.ts";

/** The header naming the conversation a request continues. */
export const SESSION_HEADER = "X-Mycoswarm-Session";

/** The chat service, or the error a client gets while there is none. */
export function chatService(deps: ApiDeps): ChatService {
  const chat = deps.chat?.();
  if (chat === undefined) throw new ApiError(404, "not_found", "This node serves no chat API");
  if (chat === null) {
    throw new ApiError(
      503,
      "unavailable",
      "The chat API is starting or stopping; try again in a moment",
      { headers: { "Retry-After": "2" } },
    );
  }
  return chat;
}

/** What went wrong: a failure before any text, or mid-answer (the partial text was kept). */
export function failure(ended: Error | ChatServiceAnswer): string {
  if (ended instanceof Error) return ended.message;
  return `${ended.error} (the partial answer was kept)`;
}

/** The models of the swarm, from this node's view of it: its own, then its reachable peers'. */
export function swarmModels(deps: ApiDeps): SwarmModel[] {
  return swarmModelList(deps.identity(), deps.peers.reachable().map(peerJson));
}

/** The header saying, on the `mycoswarm` model's answers, whether memory was used. */
export const MEMORY_HEADER = "X-Mycoswarm-Memory";

/** The `mycoswarm` extension of an answer: with `memory` when memory is off (and why). */
export function extension(
  answer: ChatServiceAnswer,
  deps?: ApiDeps,
): Pick<ChatServiceAnswer, "session" | "intent" | "sources"> & { memory?: MemoryStatus } {
  const memory = deps?.memory?.();
  return {
    session: answer.session,
    intent: answer.intent,
    sources: answer.sources,
    ...(memory === undefined || memory === null ? {} : { memory }),
  };
}

/**
 * The {@linkcode MEMORY_HEADER} value: `ok`, or `off; <reason>` in printable ASCII (a
 * header cannot carry the rest); null on a node that does not say.
 */
export function memoryHeader(deps: ApiDeps): string | null {
  const memory = deps.memory?.();
  if (memory === undefined || memory === null) return null;
  if (memory.state === "ok") return "ok";
  const reason = (memory.reason ?? "").replace(/[^\x20-\x7e]/g, "?").slice(0, 500);
  return `off; ${reason}`;
}

/** An answer being written. */
export interface AnswerInProgress {
  /** The whole answer, once written. */
  done: Promise<ChatServiceAnswer>;
  /**
   * Settles at the first piece of text or when the answer settles: it rejects only when
   * the answer failed before any text, which the route can still say as an HTTP status.
   */
  started: Promise<unknown>;
  /** The text as it comes, several waiting pieces joined into one; ends with the answer. */
  pieces(): AsyncGenerator<string>;
  /** Stops the answer (the client went away). */
  abort(): void;
}

/**
 * Starts answering `request` with `chat`; `clientGone` (the HTTP request's signal) stops it
 * when the client disconnects.
 */
export function startAnswer(
  chat: ChatService,
  request: Omit<ChatServiceRequest, "signal" | "onText">,
  clientGone?: AbortSignal,
): AnswerInProgress {
  const controller = new AbortController();
  clientGone?.addEventListener("abort", () => controller.abort(), { once: true });
  const texts = new EventChannel<string>();
  const first = Promise.withResolvers<void>();
  const done = chat.answer({
    ...request,
    signal: controller.signal,
    onText: (text) => {
      texts.push(text);
      first.resolve();
    },
  });
  done.finally(texts.close).catch(() => {});
  const started = Promise.race([first.promise, done]);
  started.catch(() => {}); // a route that never awaits it (no streaming) reads `done` instead
  return {
    done,
    started,
    async *pieces() {
      for await (const text of texts) {
        yield texts.takeWhile(() => true).reduce((all, t) => all + t, text);
      }
    },
    abort: () => controller.abort(),
  };
}

/** Resolves the model a request gets (404 before anything starts), then starts answering it. */
export async function answerRequest(
  chat: ChatService,
  body: ChatRequestFields,
  clientGone?: AbortSignal,
): Promise<{ model: string; answer: AnswerInProgress }> {
  const model = await chat.chatModel(body.model);
  const answer = startAnswer(chat, {
    session: body.session,
    messages: body.messages,
    model,
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    ...(body.maxTokens === undefined ? {} : { maxTokens: body.maxTokens }),
  }, clientGone);
  return { model, answer };
}
