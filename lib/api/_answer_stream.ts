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

/** Starts answering `request` with `chat`. */
export function startAnswer(
  chat: ChatApi,
  request: Omit<ChatApiRequest, "signal" | "onText">,
): AnswerInProgress {
  const controller = new AbortController();
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
  return {
    done,
    started: Promise.race([first.promise, done]),
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
): Promise<{ model: string; answer: AnswerInProgress }> {
  const model = await chat.chatModel(body.model);
  const answer = startAnswer(chat, {
    session: body.session,
    messages: body.messages,
    model,
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
    ...(body.maxTokens === undefined ? {} : { maxTokens: body.maxTokens }),
  });
  return { model, answer };
}
