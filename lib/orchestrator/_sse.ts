/** Reading Server-Sent Events whose `data` is JSON, as the node API's task streams send them. */

/** The stream carried something that is not an SSE event with JSON data. */
export class SseFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SseFormatError";
  }
}

/** Most bytes of one event; a peer sending more is misbehaving. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * Yields the parsed `data` of each event in `body` until it ends. Stopping early (break,
 * return, throw) cancels the body, which closes the connection.
 *
 * @throws SseFormatError for data that is not JSON or an event over 16 MiB
 */
export async function* sseEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<Record<string, unknown>> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      if (buffer.includes("\r")) buffer = buffer.replaceAll("\r\n", "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = dataOf(block);
        if (data !== null) yield parse(data);
      }
      if (buffer.length > MAX_EVENT_CHARS) throw new SseFormatError("An SSE event is over 16 MiB");
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function dataOf(block: string): string | null {
  let data: string | null = null;
  for (const line of block.split("\n")) {
    if (!line.startsWith("data:")) continue; // event:, id:, retry: and comments
    const value = line.slice(line.startsWith("data: ") ? 6 : 5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}

function parse(data: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new SseFormatError(`SSE data is not JSON: ${data.slice(0, 80)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SseFormatError(`SSE data is not a JSON object: ${data.slice(0, 80)}`);
  }
  return value as Record<string, unknown>;
}
