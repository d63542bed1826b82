import assert from "node:assert/strict";
import { isMycoError, type JsonFields } from "../core/mod.ts";
import {
  type AnswerContext,
  chatAnswerToOllama,
  embedAnswerToOllama,
  OllamaStreamTranslator,
  serverErrorMessage,
} from "./ollama_bridge_response.ts";
import { SseParser } from "./ollama_bridge_stream.ts";

/** A clock at 1000 ms past the epoch, then 1250 ms, 1500 ms...: each reading 250 ms later. */
function ctx(generate = false): AnswerContext {
  let t = 1_000;
  return { model: "local-7b", generate, start: 1_000, now: () => (t += 250) };
}

Deno.test("chatAnswerToOllama() gives Ollama's whole answer with tool calls and stats", () => {
  const answer = chatAnswerToOllama({
    id: "chatcmpl-1",
    object: "chat.completion",
    model: "/models/local-7b.gguf",
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: "call_x",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
        }],
      },
      finish_reason: "tool_calls",
    }],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  }, ctx());
  assert.deepEqual(answer, {
    model: "local-7b",
    created_at: "1970-01-01T00:00:01.250Z",
    message: {
      role: "assistant",
      content: "",
      tool_calls: [{ function: { name: "get_weather", arguments: { city: "Oslo" } } }],
    },
    done: true,
    done_reason: "stop",
    total_duration: 500_000_000,
    prompt_eval_count: 12,
    eval_count: 5,
  });
});

Deno.test("chatAnswerToOllama() for generate gives response, and length as done_reason", () => {
  const answer = chatAnswerToOllama({
    choices: [{ message: { role: "assistant", content: "Bonjour" }, finish_reason: "length" }],
  }, ctx(true));
  assert.equal(answer.response, "Bonjour");
  assert.equal(answer.message, undefined);
  assert.equal(answer.done_reason, "length");
  assert.equal(answer.prompt_eval_count, undefined, "no usage: no counts made up");
});

Deno.test("chatAnswerToOllama() refuses a malformed answer as model_failed", () => {
  for (
    const bad of [null, "text", {}, { choices: [] }, { choices: [{ message: { content: 3 } }] }]
  ) {
    assert.throws(() => chatAnswerToOllama(bad, ctx()), (e: unknown) => {
      assert.ok(isMycoError(e) && e.code === "model_failed");
      return true;
    });
  }
});

Deno.test("embedAnswerToOllama() gives embeddings in index order, or the legacy embedding", () => {
  const answer = {
    object: "list",
    data: [{ index: 1, embedding: [0.3, 0.4] }, { index: 0, embedding: [0.1, 0.2] }],
    usage: { prompt_tokens: 4, total_tokens: 4 },
  };
  assert.deepEqual(embedAnswerToOllama(answer, { ...ctx(), legacy: false }), {
    model: "local-7b",
    embeddings: [[0.1, 0.2], [0.3, 0.4]],
    total_duration: 250_000_000,
    prompt_eval_count: 4,
  });
  assert.deepEqual(embedAnswerToOllama(answer, { ...ctx(), legacy: true }), {
    embedding: [0.1, 0.2],
  });
  assert.throws(() =>
    embedAnswerToOllama({ data: [{ embedding: "AAA=" }] }, { ...ctx(), legacy: false })
  );
});

Deno.test("OllamaStreamTranslator gives a line per content delta and the stats at the end", () => {
  const t = new OllamaStreamTranslator(ctx());
  const chunk = (delta: JsonFields, finish: string | null = null) => ({
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finish }],
    usage: null,
  });
  assert.deepEqual(t.push(chunk({ role: "assistant", content: "" })), []);
  const [hello] = t.push(chunk({ content: "Hello" }));
  assert.deepEqual(hello, {
    model: "local-7b",
    created_at: "1970-01-01T00:00:01.250Z",
    message: { role: "assistant", content: "Hello" },
    done: false,
  });
  assert.equal(t.finished, false);
  assert.deepEqual(t.push(chunk({}, "stop")), []);
  assert.equal(t.finished, true);
  assert.deepEqual(t.push({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } }), []);
  const [last] = t.end();
  assert.deepEqual(last, {
    model: "local-7b",
    created_at: "1970-01-01T00:00:01.500Z",
    message: { role: "assistant", content: "" },
    done: true,
    done_reason: "stop",
    total_duration: 750_000_000,
    prompt_eval_count: 3,
    eval_count: 1,
  });
});

Deno.test("OllamaStreamTranslator gathers tool-call deltas per index into one tool_calls line", () => {
  const t = new OllamaStreamTranslator(ctx());
  const calls = (tool_calls: unknown[], finish: string | null = null) => ({
    choices: [{ index: 0, delta: { tool_calls }, finish_reason: finish }],
  });
  const fn = (index: number, f: JsonFields, id?: string) => ({
    index,
    ...(id ? { id, type: "function" } : {}),
    function: f,
  });
  assert.deepEqual(t.push(calls([fn(0, { name: "get_weather", arguments: "" }, "call_a")])), []);
  assert.deepEqual(t.push(calls([fn(0, { arguments: '{"ci' })])), []);
  assert.deepEqual(t.push(calls([fn(1, { name: "get_time", arguments: "{}" }, "call_b")])), []);
  assert.deepEqual(t.push(calls([fn(0, { arguments: 'ty":"Oslo"}' })])), []);
  const lines = t.push(calls([], "tool_calls"));
  assert.equal(lines.length, 1);
  assert.deepEqual(lines[0]?.message, {
    role: "assistant",
    content: "",
    tool_calls: [
      { function: { name: "get_weather", arguments: { city: "Oslo" } } },
      { function: { name: "get_time", arguments: {} } },
    ],
  });
  assert.equal(lines[0]?.done, false);
  const end = t.end();
  assert.equal(end.length, 1);
  assert.equal(end[0]?.done_reason, "stop");
});

Deno.test("OllamaStreamTranslator for generate streams response pieces", () => {
  const t = new OllamaStreamTranslator(ctx(true));
  const [line] = t.push({ choices: [{ delta: { content: "Bon" }, finish_reason: null }] });
  assert.equal(line?.response, "Bon");
  assert.equal(line?.done, false);
  t.push({ choices: [{ delta: {}, finish_reason: "length" }] });
  const [last] = t.end();
  assert.equal(last?.response, "");
  assert.equal(last?.done_reason, "length");
});

Deno.test("OllamaStreamTranslator throws model_failed on an error event or a malformed chunk", () => {
  const t = new OllamaStreamTranslator(ctx());
  assert.throws(
    () => t.push({ error: { message: "context full", type: "server_error" } }),
    /context full/,
  );
  assert.throws(() => t.push("nope"), /could not be read/);
  assert.throws(() => t.push({ choices: "nope" }), /could not be read/);
});

Deno.test("serverErrorMessage() reads OpenAI's, vLLM's and plain-text errors", () => {
  assert.equal(serverErrorMessage(404, '{"error":{"message":"no such model"}}'), "no such model");
  assert.equal(serverErrorMessage(400, '{"object":"error","message":"bad"}'), "bad");
  assert.equal(serverErrorMessage(500, '{"error":"boom"}'), "boom");
  assert.equal(serverErrorMessage(502, "Bad Gateway\n"), "Bad Gateway");
  assert.equal(serverErrorMessage(503, ""), "the model server answered HTTP 503");
});

Deno.test("SseParser splits events across reads and CRLF lines", () => {
  const sse = new SseParser();
  assert.deepEqual(sse.feed(': comment\r\ndata: {"a":'), []);
  assert.deepEqual(sse.feed("1}\r\n\r\ndata: [DONE]\n"), ['{"a":1}']);
  assert.deepEqual(sse.feed("\n"), ["[DONE]"]);
});
