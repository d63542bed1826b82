import assert from "node:assert/strict";
import { isMycoError, type JsonFields } from "../core/mod.ts";
import { chatRequestToOpenai, embedRequestToOpenai } from "./ollama_bridge_request.ts";
import { imageMime } from "./ollama_bridge_messages.ts";
import {
  type AnswerContext,
  chatAnswerToOllama,
  embedAnswerToOllama,
  OllamaStreamTranslator,
  serverErrorMessage,
} from "./ollama_bridge_response.ts";
import { SseParser } from "./ollama_bridge_stream.ts";

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==";
const JPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD";

function refused(fn: () => unknown, field: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isMycoError(error), String(error));
    assert.equal(error.code, "invalid_input");
    assert.equal(error.field, field);
    assert.ok(error.message.startsWith(field), error.message);
    return true;
  });
}

/** A clock at 1000 ms past the epoch, then 1250 ms: total_duration 250 ms. */
function ctx(generate = false): AnswerContext {
  let t = 1_000;
  return { model: "local-7b", generate, start: 1_000, now: () => (t += 250) };
}

Deno.test("chatRequestToOpenai() translates model, messages, stream and sampling options", () => {
  const bridged = chatRequestToOpenai({
    model: "local-7b",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }],
    options: {
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.05,
      seed: 7,
      stop: ["\n\n"],
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      num_predict: 128,
    },
  }, false);
  assert.equal(bridged.path, "/chat/completions");
  assert.equal(bridged.stream, true, "Ollama streams by default");
  assert.deepEqual(bridged.ignored, []);
  assert.deepEqual(bridged.body, {
    model: "local-7b",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
    temperature: 0.2,
    top_p: 0.9,
    top_k: 40,
    min_p: 0.05,
    seed: 7,
    stop: ["\n\n"],
    frequency_penalty: 0.1,
    presence_penalty: 0.3,
    max_tokens: 128,
  });
});

Deno.test("chatRequestToOpenai() omits max_tokens for num_predict -1 and -2, and stream_options without a stream", () => {
  for (const num_predict of [-1, -2]) {
    const { body } = chatRequestToOpenai({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: false,
      options: { num_predict },
    }, false);
    assert.deepEqual(body, {
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      stream: false,
    });
  }
});

Deno.test("chatRequestToOpenai() lists loading settings and keep_alive as ignored", () => {
  const bridged = chatRequestToOpenai({
    model: "m",
    messages: [{ role: "user", content: "hi" }],
    keep_alive: "5m",
    think: false,
    options: {
      num_ctx: 8192,
      num_gpu: 99,
      num_thread: 8,
      num_batch: 512,
      main_gpu: 0,
      use_mmap: true,
      low_vram: false,
    },
  }, false);
  assert.deepEqual(bridged.ignored, [
    "num_ctx",
    "num_gpu",
    "num_thread",
    "num_batch",
    "main_gpu",
    "use_mmap",
    "low_vram",
    "keep_alive",
  ]);
  assert.equal((bridged.body as JsonFields).num_ctx, undefined);
  assert.equal((bridged.body as JsonFields).think, undefined);
});

Deno.test("chatRequestToOpenai() turns images into image_url data URLs", () => {
  assert.equal(imageMime(PNG), "image/png");
  assert.equal(imageMime(JPEG), "image/jpeg");
  const { body } = chatRequestToOpenai({
    model: "m",
    messages: [{ role: "user", content: "what is this?", images: [PNG, JPEG] }],
  }, false);
  assert.deepEqual((body as JsonFields).messages, [{
    role: "user",
    content: [
      { type: "text", text: "what is this?" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      { type: "image_url", image_url: { url: `data:image/jpeg;base64,${JPEG}` } },
    ],
  }]);
});

Deno.test("chatRequestToOpenai() gives tool calls ids and matches tool results by name, else in order", () => {
  const tools = [{ type: "function", function: { name: "get_weather", parameters: {} } }];
  const { body } = chatRequestToOpenai({
    model: "m",
    tools,
    messages: [
      { role: "user", content: "weather and time?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { function: { name: "get_weather", arguments: { city: "Oslo" } } },
          { function: { name: "get_time", arguments: { zone: "CET" } } },
        ],
      },
      { role: "tool", content: "12:00", tool_name: "get_time" },
      { role: "tool", content: "sunny" },
    ],
  }, false);
  const b = body as JsonFields;
  assert.deepEqual(b.tools, tools);
  assert.deepEqual(b.messages, [
    { role: "user", content: "weather and time?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "call_1_0",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Oslo"}' },
        },
        {
          id: "call_1_1",
          type: "function",
          function: { name: "get_time", arguments: '{"zone":"CET"}' },
        },
      ],
    },
    { role: "tool", content: "12:00", tool_call_id: "call_1_1" },
    { role: "tool", content: "sunny", tool_call_id: "call_1_0" },
  ]);
});

Deno.test("chatRequestToOpenai() translates format json and a JSON schema", () => {
  const json = chatRequestToOpenai({ model: "m", messages: [], format: "json" }, false);
  assert.equal(json.body, null, "no messages: nothing to ask");
  const one = (format: unknown) =>
    (chatRequestToOpenai({ model: "m", messages: [{ role: "user", content: "x" }], format }, false)
      .body as JsonFields).response_format;
  assert.deepEqual(one("json"), { type: "json_object" });
  const schema = { type: "object", properties: { age: { type: "integer" } } };
  assert.deepEqual(one(schema), {
    type: "json_schema",
    json_schema: { name: "response", schema },
  });
});

Deno.test("chatRequestToOpenai() refuses what has no counterpart, naming the field", () => {
  const base = { model: "m", messages: [{ role: "user", content: "hi" }] };
  refused(
    () => chatRequestToOpenai({ ...base, options: { mirostat: 2 } }, false),
    "options.mirostat",
  );
  refused(
    () => chatRequestToOpenai({ ...base, options: { repeat_penalty: 1.1 } }, false),
    "options.repeat_penalty",
  );
  refused(() => chatRequestToOpenai({ ...base, options: { tfs_z: 1 } }, false), "options.tfs_z");
  refused(() => chatRequestToOpenai({ ...base, think: true }, false), "think");
  refused(() => chatRequestToOpenai({ ...base, think: "high" }, false), "think");
  refused(() => chatRequestToOpenai({ ...base, shiny: 1 }, false), "shiny");
  refused(() => chatRequestToOpenai({ ...base, format: "xml" }, false), "format");
  refused(() => chatRequestToOpenai({ ...base, stream: "yes" }, false), "stream");
  refused(() => chatRequestToOpenai({ messages: [] }, false), "model");
  refused(
    () => chatRequestToOpenai({ model: "m", messages: [{ role: "robot", content: "" }] }, false),
    "messages[0].role",
  );
  refused(
    () => chatRequestToOpenai({ model: "m", messages: [{ role: "user", name: "x" }] }, false),
    "messages[0].name",
  );
  refused(
    () =>
      chatRequestToOpenai({
        model: "m",
        messages: [{ role: "assistant", content: "", images: [PNG] }],
      }, false),
    "messages[0].images",
  );
  refused(
    () => chatRequestToOpenai({ model: "m", messages: [{ role: "tool", content: "42" }] }, false),
    "messages[0]",
  );
});

Deno.test("chatRequestToOpenai() for generate: system and prompt as messages", () => {
  const bridged = chatRequestToOpenai({
    model: "m",
    system: "Answer in French.",
    prompt: "hello",
    images: [PNG],
    stream: false,
    format: "json",
    options: { temperature: 0, num_ctx: 4096 },
    raw: false,
    context: [],
  }, true);
  assert.deepEqual(bridged.body, {
    model: "m",
    messages: [
      { role: "system", content: "Answer in French." },
      {
        role: "user",
        content: [
          { type: "text", text: "hello" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
    ],
    stream: false,
    response_format: { type: "json_object" },
    temperature: 0,
  });
  assert.deepEqual(bridged.ignored, ["num_ctx"]);
  assert.equal(chatRequestToOpenai({ model: "m" }, true).body, null, "a load request");
});

Deno.test("chatRequestToOpenai() for generate refuses raw, template, context and suffix", () => {
  const base = { model: "m", prompt: "hi" };
  refused(() => chatRequestToOpenai({ ...base, raw: true }, true), "raw");
  refused(() => chatRequestToOpenai({ ...base, template: "{{ .Prompt }}" }, true), "template");
  refused(() => chatRequestToOpenai({ ...base, context: [1, 2, 3] }, true), "context");
  refused(() => chatRequestToOpenai({ ...base, suffix: "}" }, true), "suffix");
  refused(() => chatRequestToOpenai({ ...base, messages: [] }, true), "messages");
});

Deno.test("embedRequestToOpenai() translates /api/embed and the legacy /api/embeddings", () => {
  const embed = embedRequestToOpenai(
    { model: "e", input: ["a", "b"], dimensions: 32, truncate: false, keep_alive: -1 },
    false,
  );
  assert.equal(embed.path, "/embeddings");
  assert.deepEqual(embed.body, { model: "e", input: ["a", "b"], dimensions: 32 });
  assert.deepEqual(embed.ignored, ["keep_alive"]);
  assert.deepEqual(embedRequestToOpenai({ model: "e", input: "a" }, false).ignored, ["truncate"]);
  const legacy = embedRequestToOpenai({ model: "e", prompt: "a", options: { num_ctx: 1 } }, true);
  assert.deepEqual(legacy.body, { model: "e", input: "a" });
  assert.deepEqual(legacy.ignored, ["num_ctx"]);
  assert.equal(embedRequestToOpenai({ model: "e", prompt: "" }, true).body, null);
  refused(() => embedRequestToOpenai({ model: "e", input: 3 }, false), "input");
  refused(
    () => embedRequestToOpenai({ model: "e", input: "a", dimensions: 0 }, false),
    "dimensions",
  );
  refused(() => embedRequestToOpenai({ model: "e", input: "a", pooling: "cls" }, false), "pooling");
  refused(
    () => embedRequestToOpenai({ model: "e", input: "a", options: { mirostat: 1 } }, false),
    "options.mirostat",
  );
});

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
