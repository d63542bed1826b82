/**
 * A server-sent-event stream of `chat.completion.chunk`s turned into Ollama's NDJSON as it
 * arrives. A stream that breaks, ends before the answer is complete or sends something
 * unreadable ends with an NDJSON `{"error": "..."}` line, as Ollama's own streams do.
 *
 * @module
 */

import type { JsonFields } from "../core/mod.ts";
import type { OllamaStreamTranslator } from "./ollama_bridge_response.ts";

/**
 * Splits server-sent events as they arrive and gives each event's `data`; comments and
 * other fields are skipped.
 *
 * @example
 * ```ts
 * const sse = new SseParser();
 * sse.feed("data: {\"a\":1}\n\nda"); // ['{"a":1}']
 * sse.feed("ta: [DONE]\n\n"); // ["[DONE]"]
 * ```
 */
export class SseParser {
  #buffer = "";
  #data: string[] = [];

  /** The data of every event completed by `text`. */
  feed(text: string): string[] {
    this.#buffer += text;
    const lines = this.#buffer.split("\n");
    this.#buffer = lines.pop() ?? "";
    const events: string[] = [];
    for (const raw of lines) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line === "") {
        if (this.#data.length > 0) events.push(this.#data.join("\n"));
        this.#data = [];
      } else if (line.startsWith("data:")) {
        const value = line.slice(5);
        this.#data.push(value.startsWith(" ") ? value.slice(1) : value);
      }
    }
    return events;
  }
}

/**
 * The server's SSE body as Ollama's NDJSON body. Reading stops at `data: [DONE]`; a body that
 * ends before the answer finished, breaks, or carries an error event gets an error line.
 *
 * @param body the server's `text/event-stream` body
 * @param translator turns each chunk into lines, and gives the last ones
 */
export function sseToNdjson(
  body: ReadableStream<Uint8Array>,
  translator: OllamaStreamTranslator,
): ReadableStream<Uint8Array> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const encoder = new TextEncoder();
  const sse = new SseParser();
  const encode = (lines: JsonFields[]) =>
    encoder.encode(lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Reads until a chunk gives lines to send or the stream is over: pull must enqueue.
      while (true) {
        let read: ReadableStreamReadResult<string>;
        try {
          read = await reader.read();
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          controller.enqueue(encode([{ error: `the model server's stream broke: ${why}` }]));
          controller.close();
          return;
        }
        if (read.done) {
          controller.enqueue(encode(
            translator.finished ? translator.end() : [{
              error: "the model server's stream ended before the answer was complete",
            }],
          ));
          controller.close();
          return;
        }
        const lines: JsonFields[] = [];
        let over = false;
        try {
          for (const data of sse.feed(read.value)) {
            if (data.trim() === "[DONE]") {
              lines.push(...translator.end());
              over = true;
              break;
            }
            lines.push(...translator.push(parseEvent(data)));
          }
        } catch (error) {
          lines.push({ error: error instanceof Error ? error.message : String(error) });
          over = true;
        }
        if (lines.length > 0) controller.enqueue(encode(lines));
        if (over) {
          controller.close();
          await reader.cancel().catch(() => {});
          return;
        }
        if (lines.length > 0) return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function parseEvent(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new Error(
      `the model server sent a stream event that is not JSON: ${data.slice(0, 200)}`,
    );
  }
}
