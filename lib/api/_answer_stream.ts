/** An answer of the chat service as the chat routes stream it, whatever their wire format. */

import { EventChannel } from "./_event_channel.ts";
import type { ChatRequestFields } from "./chat_body.ts";
import type { ChatApi, ChatApiAnswer, ChatApiRequest } from "./types.ts";

/** An answer being written. */
export interface AnswerInProgress {
  /** The whole answer, once written. */
  done: Promise<ChatApiAnswer>;
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
  chat: ChatApi,
  request: Omit<ChatApiRequest, "signal" | "onText">,
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
  chat: ChatApi,
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
