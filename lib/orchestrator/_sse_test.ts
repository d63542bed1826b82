import assert from "node:assert/strict";
import { sseEvents, SseFormatError } from "./_sse.ts";

/** A body delivering `chunks` one by one. */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return ReadableStream.from(chunks.map((c) => encoder.encode(c)));
}

async function all(chunks: string[]) {
  const out = [];
  for await (const event of sseEvents(body(chunks))) out.push(event);
  return out;
}

Deno.test("sseEvents() parses events split anywhere, CRLF, comments and multi-line data", async () => {
  assert.deepEqual(
    await all([
      'data: {"a":',
      "1}\n",
      "\n: comment\n\nevent: x\r\n",
      'data: {"b":\r\ndata: 2}\r\n\r\n',
    ]),
    [{ a: 1 }, { b: 2 }],
  );
  assert.deepEqual(
    await all(['data:{"c":3}\n\ndata: {"cut": tr']),
    [{ c: 3 }],
    "a cut-off event is dropped",
  );
});

Deno.test("sseEvents() refuses data that is not a JSON object", async () => {
  await assert.rejects(all(["data: nope\n\n"]), SseFormatError);
  await assert.rejects(all(["data: [1]\n\n"]), /not a JSON object/);
});

Deno.test("sseEvents(): stopping early cancels the body", async () => {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull: (c) => c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n')),
    cancel: () => void (cancelled = true),
  });
  for await (const _ of sseEvents(stream)) break;
  assert.equal(cancelled, true);
});
