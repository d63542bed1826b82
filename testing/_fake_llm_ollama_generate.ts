/**
 * Ollama's `POST /api/generate`: a prompt in, `response` text out, NDJSON unless
 * `"stream": false`, with the same final statistics as `/api/chat` plus `context`.
 */

import { answer, readChatRequest, refusal } from "./_fake_llm_answer.ts";
import {
  answerPieces,
  answerTokens,
  generateMessages,
  header,
  line,
  ndjsonStream,
  ollamaError,
  type Piece,
  startChecks,
  stats,
} from "./_fake_llm_ollama.ts";
import { touchModel } from "./_fake_llm_ollama_models.ts";
import { generationDelay, type StreamPlan } from "./_fake_llm_stream.ts";
import { asRecord, messageWords } from "./_fake_llm_text.ts";
import type { RouteContext } from "./_fake_llm_types.ts";

/** `POST /api/generate`. */
export async function ollamaGenerate(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  const started = startChecks(request, ctx);
  if (started instanceof Response) return started;
  const model = started;
  const name = model.name;
  const messages = generateMessages(request);
  const chat = readChatRequest({}, request.format, request.think);
  if ("status" in chat) return ollamaError(chat.status, chat.message);
  chat.messages = messages;
  const refused = refusal(model, chat, "generate");
  if (refused) return ollamaError(refused.status, refused.message);
  touchModel(ctx, name, request);
  const last = messages.at(-1)!;
  if (last.content === "" && !last.images) {
    // An empty prompt loads (or, with keep_alive 0, unloads) the model.
    const unloads = request.keep_alive === 0 || request.keep_alive === "0";
    return Response.json({
      ...header(name),
      response: "",
      done: true,
      done_reason: unloads ? "unload" : "load",
    });
  }
  const result = answer(model, chat, ctx.options);
  const prompt = messageWords(messages);
  const evalCount = answerTokens(result);
  // Deprecated, but still sent: the conversation as token ids, for the next request's `context`.
  const context = Array.from({ length: prompt + evalCount }, (_, i) => i + 1);
  const final = (timing: Parameters<typeof stats>[0], response: string, thinking: string) => ({
    ...header(name),
    response,
    ...(thinking ? { thinking } : {}),
    done: true,
    done_reason: "stop",
    context,
    ...stats(timing, prompt, evalCount),
  });
  if (request.stream === false) {
    const timing = await generationDelay(evalCount, ctx.options, ctx.signal, name);
    return Response.json(final(timing, result.content, result.thinking));
  }
  const plan: StreamPlan<Piece> = {
    model: name,
    tokens: answerPieces(result),
    frame: (piece) =>
      line({
        ...header(name),
        response: piece.kind === "content" ? piece.text : "",
        ...(piece.kind === "thinking" ? { thinking: piece.text } : {}),
        done: false,
      }),
    tail: (timing) => [line(final(timing, "", ""))],
  };
  return ndjsonStream(plan, ctx);
}
