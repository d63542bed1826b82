import assert from "node:assert/strict";
import { LineReader } from "./line_reader.ts";

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

Deno.test("LineReader splits lines across chunks and handles CRLF and a last partial line", async () => {
  const reader = new LineReader(streamOf("hel", "lo\r\nwor", "ld\n\nlast"));
  const lines = [];
  for (let line = await reader.next(); line !== null; line = await reader.next()) lines.push(line);
  assert.deepEqual(lines, ["hello", "world", "", "last"]);
  assert.equal(await reader.next(), null);
  await reader.close();
});

Deno.test("LineReader decodes UTF-8 split between chunks", async () => {
  const bytes = new TextEncoder().encode("café ☕\n");
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes.slice(0, 4));
      controller.enqueue(bytes.slice(4));
      controller.close();
    },
  });
  const reader = new LineReader(stream);
  assert.equal(await reader.next(), "café ☕");
  await reader.close();
});
