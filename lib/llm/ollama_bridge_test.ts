import assert from "node:assert/strict";
import { isMycoError, type JsonFields } from "../core/mod.ts";
import { chatRequestToOpenai, embedRequestToOpenai } from "./ollama_bridge_request.ts";
import { imageMime } from "./ollama_bridge_messages.ts";

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
