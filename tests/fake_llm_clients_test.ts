/**
 * The test model server driven by the official npm clients, unchanged: `ollama` (ollama-js)
 * and `openai` (openai-node). What they accept, real users' code accepts.
 */

import assert from "node:assert/strict";
import { Ollama, type ProgressResponse } from "ollama";
import OpenAI from "openai";
import { DEFAULT_MODELS, fakeEmbedding, type FakeLlm, startFakeLlm } from "../testing/fake_llm.ts";

const MODELS = [
  ...DEFAULT_MODELS,
  { name: "llava:7b" },
  { name: "gemma3:4b" },
  { name: "qwen3:8b" },
];

const WEATHER = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Get the current weather in a given city",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "The city" },
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        days: { type: "integer" },
        alerts: { type: "boolean" },
      },
      required: ["city", "unit", "days", "alerts"],
    },
  },
};
const LIGHTS = {
  type: "function" as const,
  function: {
    name: "turn_on_light",
    description: "Turn on a light in a room",
    parameters: {
      type: "object",
      properties: { room: { type: "string" }, brightness: { type: "number" } },
      required: ["room"],
    },
  },
};
const TOOLS = [LIGHTS, WEATHER];
const WEATHER_ARGS = { city: "Tokyo", unit: "celsius", days: 1, alerts: true };

const PERSON = {
  type: "object",
  properties: {
    name: { type: "string" },
    age: { type: "integer" },
    available: { type: "boolean" },
    address: { type: "object", properties: { city: { type: "string" }, zip: { type: "number" } } },
    tags: { type: "array", items: { type: "string" } },
    role: { type: "string", enum: ["admin", "user"] },
  },
  required: ["name", "age", "available"],
};

// A 1×1 PNG.
const PIXEL =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

function ollamaFor(llm: FakeLlm): Ollama {
  return new Ollama({ host: llm.url });
}

function openaiFor(llm: FakeLlm): OpenAI {
  return new OpenAI({ baseURL: `${llm.url}/v1`, apiKey: "ollama", maxRetries: 0 });
}

async function rejects(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new assert.AssertionError({ message: "expected a rejection" });
}

Deno.test("ollama-js: tools → tool call → tool result → final answer, without streaming", async () => {
  await using llm = await startFakeLlm();
  const ollama = ollamaFor(llm);
  const messages: { role: string; content: string; tool_name?: string }[] = [
    { role: "user", content: "What is the weather in Tokyo?" },
  ];
  const first = await ollama.chat({ model: "llama3.2:3b", messages, tools: TOOLS, stream: false });
  assert.equal(first.message.content, "");
  assert.equal(first.done_reason, "stop");
  assert.equal(first.message.tool_calls?.length, 1);
  const call = first.message.tool_calls![0]!;
  assert.equal(call.function.name, "get_weather");
  assert.deepEqual(call.function.arguments, WEATHER_ARGS);
  messages.push(first.message, { role: "tool", content: "11 degrees", tool_name: "get_weather" });
  const second = await ollama.chat({ model: "llama3.2:3b", messages, tools: TOOLS, stream: false });
  assert.equal(second.message.content, "Done: 11 degrees");
  assert.equal(second.message.tool_calls, undefined);
  for (const key of ["total_duration", "load_duration", "prompt_eval_count", "eval_count"]) {
    assert.equal(typeof (second as unknown as Record<string, unknown>)[key], "number", key);
  }
  assert.deepEqual(
    (llm.requests.at(-1)?.body as { messages: unknown[] }).messages.at(-1),
    { role: "tool", content: "11 degrees", tool_name: "get_weather" },
  );
});

Deno.test("ollama-js: a streamed tool call arrives in a done:false chunk, then done_reason stop", async () => {
  await using llm = await startFakeLlm();
  const ollama = ollamaFor(llm);
  const stream = await ollama.chat({
    model: "llama3.2:3b",
    messages: [{ role: "user", content: "turn on the kitchen light" }],
    tools: TOOLS,
    stream: true,
  });
  const parts = [];
  for await (const part of stream) parts.push(part);
  assert.equal(parts.length, 2);
  assert.equal(parts[0]!.done, false);
  assert.deepEqual(parts[0]!.message.tool_calls?.map((c) => c.function), [
    { index: 0, name: "turn_on_light", arguments: { room: "the kitchen light" } },
  ]);
  assert.equal(parts[1]!.done, true);
  assert.equal(parts[1]!.done_reason, "stop");
  assert.equal(parts[1]!.message.content, "");

  const followUp = await ollama.chat({
    model: "llama3.2:3b",
    messages: [
      { role: "user", content: "turn on the kitchen light" },
      parts[0]!.message,
      { role: "tool", content: "light on" },
    ],
    tools: TOOLS,
    stream: true,
  });
  let text = "";
  for await (const part of followUp) text += part.message.content;
  assert.equal(text, "Done: light on");
});

Deno.test("openai-node: tools → tool_calls → tool result → final answer, without streaming", async () => {
  await using llm = await startFakeLlm();
  const openai = openaiFor(llm);
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    { role: "user", content: "What is the weather in Tokyo?" },
  ];
  const first = await openai.chat.completions.create({
    model: "llama3.2:3b",
    messages,
    tools: TOOLS,
  });
  const choice = first.choices[0]!;
  assert.equal(choice.finish_reason, "tool_calls");
  assert.equal(choice.message.content, null);
  const call = choice.message.tool_calls![0]!;
  assert.equal(call.type, "function");
  assert.match(call.id, /^call_\w+$/);
  assert.ok(call.type === "function");
  assert.equal(call.function.name, "get_weather");
  assert.deepEqual(JSON.parse(call.function.arguments), WEATHER_ARGS);
  messages.push(choice.message, { role: "tool", tool_call_id: call.id, content: "11 degrees" });
  const second = await openai.chat.completions.create({
    model: "llama3.2:3b",
    messages,
    tools: TOOLS,
  });
  assert.equal(second.choices[0]!.finish_reason, "stop");
  assert.equal(second.choices[0]!.message.content, "Done: 11 degrees");
  assert.ok(second.usage!.completion_tokens > 0);
});

Deno.test("openai-node: a streamed tool call opens with id and name, then argument fragments", async () => {
  await using llm = await startFakeLlm();
  const openai = openaiFor(llm);
  const stream = await openai.chat.completions.create({
    model: "qwen2.5:14b",
    messages: [{ role: "user", content: "What is the weather in Tokyo?" }],
    tools: TOOLS,
    stream: true,
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const deltas = chunks.map((c) => c.choices[0]!);
  const opening = deltas[0]!.delta.tool_calls![0]!;
  assert.equal(deltas[0]!.delta.role, "assistant");
  assert.deepEqual(
    { ...opening, id: typeof opening.id },
    { index: 0, id: "string", type: "function", function: { name: "get_weather", arguments: "" } },
  );
  const fragments = deltas.slice(1, -1).map((d) => d.delta.tool_calls![0]!);
  assert.ok(fragments.length > 1, "arguments arrive in several fragments");
  assert.ok(fragments.every((f) => f.index === 0 && f.id === undefined));
  const args = fragments.map((f) => f.function!.arguments).join("");
  assert.deepEqual(JSON.parse(args), WEATHER_ARGS);
  assert.equal(deltas.at(-1)!.finish_reason, "tool_calls");
  assert.deepEqual(deltas.at(-1)!.delta, {});

  // The SDK's own accumulator rebuilds the same call from the deltas.
  const runner = openai.chat.completions.stream({
    model: "qwen2.5:14b",
    messages: [{ role: "user", content: "What is the weather in Tokyo?" }],
    tools: TOOLS,
  });
  const final = await runner.finalChatCompletion();
  const call = final.choices[0]!.message.tool_calls![0]!;
  assert.ok(call.type === "function");
  assert.deepEqual(JSON.parse(call.function.arguments), WEATHER_ARGS);

  const answer = await openai.chat.completions.create({
    model: "qwen2.5:14b",
    messages: [
      { role: "user", content: "What is the weather in Tokyo?" },
      final.choices[0]!.message,
      { role: "tool", tool_call_id: call.id, content: "sunny" },
    ],
    tools: TOOLS,
    stream: true,
  });
  let text = "";
  let finish;
  for await (const chunk of answer) {
    text += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(text, "Done: sunny");
  assert.equal(finish, "stop");
});

Deno.test("tool_choice none answers text; a named tool_choice forces that tool", async () => {
  await using llm = await startFakeLlm();
  const openai = openaiFor(llm);
  const messages = [{ role: "user" as const, content: "What is the weather in Tokyo?" }];
  const none = await openai.chat.completions.create({
    model: "llama3.2:3b",
    messages,
    tools: TOOLS,
    tool_choice: "none",
  });
  assert.match(none.choices[0]!.message.content!, /^You said: What is the weather in Tokyo\?/);
  const forced = await openai.chat.completions.create({
    model: "llama3.2:3b",
    messages,
    tools: TOOLS,
    tool_choice: { type: "function", function: { name: "turn_on_light" } },
  });
  const call = forced.choices[0]!.message.tool_calls![0]!;
  assert.ok(call.type === "function");
  assert.deepEqual(JSON.parse(call.function.arguments), { room: "Tokyo" });
});

Deno.test("a model without the tools capability refuses tools with Ollama's 400", async () => {
  await using llm = await startFakeLlm({
    models: [...DEFAULT_MODELS, { name: "mistral:7b", capabilities: ["completion"] }],
  });
  const messages = [{ role: "user" as const, content: "What is the weather in Tokyo?" }];
  for (const model of ["gemma3:1b", "mistral:7b"]) {
    const error = await rejects(ollamaFor(llm).chat({ model, messages, tools: TOOLS }));
    assert.equal(error.status_code, 400);
    assert.equal(error.message, `registry.ollama.ai/library/${model} does not support tools`);
    const viaOpenai = await rejects(
      openaiFor(llm).chat.completions.create({ model, messages, tools: TOOLS }),
    );
    assert.ok(viaOpenai instanceof OpenAI.BadRequestError);
    assert.match(viaOpenai.message, /does not support tools/);
  }
  // Without tools the same model chats.
  const plain = await ollamaFor(llm).chat({ model: "gemma3:1b", messages });
  assert.match(plain.message.content, /^You said/);
});

Deno.test("structured output: Ollama format schema and json, OpenAI json_schema and json_object", async () => {
  await using llm = await startFakeLlm();
  const ollama = ollamaFor(llm);
  const expected = {
    name: "Ada",
    age: 1,
    available: true,
    address: { city: "Ada", zip: 1 },
    tags: ["Ada"],
    role: "admin",
  };
  const messages = [{ role: "user" as const, content: "Tell me about Ada" }];
  const whole = await ollama.chat({ model: "llama3.2:3b", messages, format: PERSON });
  assert.deepEqual(JSON.parse(whole.message.content), expected);
  let streamed = "";
  const parts = await ollama.chat({ model: "llama3.2:3b", messages, format: PERSON, stream: true });
  for await (const part of parts) streamed += part.message.content;
  assert.equal(streamed, whole.message.content);
  const json = await ollama.chat({ model: "llama3.2:3b", messages, format: "json" });
  assert.equal(typeof JSON.parse(json.message.content), "object");
  const generated = await ollama.generate({
    model: "llama3.2:3b",
    prompt: "Tell me about Ada",
    format: PERSON,
  });
  assert.deepEqual(JSON.parse(generated.response ?? ""), expected);

  const openai = openaiFor(llm);
  const schema = await openai.chat.completions.create({
    model: "llama3.2:3b",
    messages,
    response_format: { type: "json_schema", json_schema: { name: "person", schema: PERSON } },
  });
  assert.deepEqual(JSON.parse(schema.choices[0]!.message.content!), expected);
  const object = await openai.chat.completions.create({
    model: "llama3.2:3b",
    messages,
    response_format: { type: "json_object" },
  });
  assert.equal(typeof JSON.parse(object.choices[0]!.message.content!), "object");
});

Deno.test("/api/show gives capabilities, model_info context length, details; 404 for unknown", async () => {
  await using llm = await startFakeLlm({
    models: [...MODELS, { name: "big:70b", contextLength: 8192, capabilities: ["completion"] }],
  });
  const ollama = ollamaFor(llm);
  const llama = await ollama.show({ model: "llama3.2:3b" });
  assert.deepEqual(llama.capabilities, ["completion", "tools"]);
  const info = llama.model_info as unknown as Record<string, unknown>;
  assert.equal(info["general.architecture"], "llama");
  assert.equal(info["llama.context_length"], 131072);
  assert.equal(llama.details.family, "llama");
  assert.equal(llama.details.parameter_size, "3.2B");
  assert.match(llama.template, /\.Tools/);
  assert.equal(typeof llama.parameters, "string");
  assert.equal(typeof llama.modified_at, "string");
  assert.deepEqual((await ollama.show({ model: "nomic-embed-text" })).capabilities, ["embedding"]);
  assert.deepEqual((await ollama.show({ model: "llava:7b" })).capabilities, [
    "completion",
    "vision",
  ]);
  assert.deepEqual((await ollama.show({ model: "gemma3:4b" })).capabilities, [
    "completion",
    "vision",
  ]);
  assert.deepEqual((await ollama.show({ model: "qwen3:8b" })).capabilities, [
    "completion",
    "tools",
    "thinking",
  ]);
  const big = await ollama.show({ model: "big:70b" });
  assert.equal((big.model_info as unknown as Record<string, unknown>)["big.context_length"], 8192);
  const missing = await rejects(ollama.show({ model: "nope" }));
  assert.equal(missing.status_code, 404);
  assert.equal(missing.message, "model 'nope:latest' not found");
});

Deno.test("/api/ps lists models used within keep_alive; keep_alive 0 unloads", async () => {
  await using llm = await startFakeLlm();
  const ollama = ollamaFor(llm);
  assert.deepEqual((await ollama.ps()).models, []);
  await ollama.chat({
    model: "llama3.2:3b",
    messages: [{ role: "user", content: "hi" }],
    keep_alive: "10m",
    options: { num_ctx: 8192 },
  });
  await ollama.embed({ model: "nomic-embed-text", input: "hi" });
  const before = Date.now();
  const { models } = await ollama.ps();
  assert.deepEqual(models.map((m) => m.name), ["llama3.2:3b", "nomic-embed-text:latest"]);
  const llama = models[0]! as unknown as Record<string, unknown> & { expires_at: string };
  assert.equal(llama.size, 2_000_000_000);
  assert.equal(llama.size_vram, 2_000_000_000);
  assert.equal(llama.context_length, 8192);
  assert.match(String(llama.digest), /^[0-9a-f]{64}$/);
  const left = Date.parse(llama.expires_at) - before;
  assert.ok(left > 9 * 60_000 && left <= 10 * 60_000, `expires in ${left} ms`);
  const unload = await ollama.chat({ model: "llama3.2:3b", messages: [], keep_alive: 0 });
  assert.equal(unload.done_reason, "unload");
  assert.deepEqual((await ollama.ps()).models.map((m) => m.name), ["nomic-embed-text:latest"]);
  const bad = await rejects(ollama.chat({ model: "llama3.2:3b", messages: [], keep_alive: "300" }));
  assert.equal(bad.status_code, 400);
  assert.equal(bad.message, 'time: missing unit in duration "300"');
});

Deno.test("/api/pull streams progress, then the model is listed; unknown names fail", async () => {
  await using llm = await startFakeLlm({ registry: ["mistral:7b", "phi3"] });
  const ollama = ollamaFor(llm);
  const progress: ProgressResponse[] = [];
  for await (const part of await ollama.pull({ model: "mistral:7b", stream: true })) {
    progress.push(part);
  }
  const statuses = progress.map((p) => p.status);
  assert.equal(statuses[0], "pulling manifest");
  assert.deepEqual(statuses.slice(-3), ["verifying sha256 digest", "writing manifest", "success"]);
  const layer = progress.filter((p) => p.status === progress[1]!.status);
  assert.match(progress[1]!.status, /^pulling [0-9a-f]{12}$/);
  assert.ok(layer.length >= 3);
  assert.equal(layer[0]!.completed, undefined);
  assert.equal(layer.at(-1)!.completed, layer.at(-1)!.total);
  assert.match(progress[1]!.digest, /^sha256:[0-9a-f]{64}$/);
  assert.ok((await ollama.list()).models.some((m) => m.name === "mistral:7b"));
  assert.equal(
    (llm.requests.find((r) => r.path === "/api/pull")?.body as { name: string }).name,
    "mistral:7b",
  );

  assert.deepEqual(await ollama.pull({ model: "phi3", stream: false }), { status: "success" });
  assert.ok((await ollama.list()).models.some((m) => m.name === "phi3:latest"));
  const chat = await ollama.chat({ model: "phi3", messages: [{ role: "user", content: "hi" }] });
  assert.match(chat.message.content, /^You said: hi/);

  const missing = await rejects(ollama.pull({ model: "nope", stream: false }));
  assert.equal(missing.message, "pull model manifest: file does not exist");
  const streamed = await rejects((async () => {
    for await (const _ of await ollama.pull({ model: "nope", stream: true })) { /* drain */ }
  })());
  assert.equal(streamed.message, "pull model manifest: file does not exist");
});

Deno.test("/api/generate answers `response`, streamed or whole, with Ollama's final stats", async () => {
  await using llm = await startFakeLlm();
  const ollama = ollamaFor(llm);
  const whole = await ollama.generate({ model: "llama3.2:3b", prompt: "why is the sky blue" });
  assert.equal(whole.response, "You said: why is the sky blue. (model llama3.2:3b, 1 messages)");
  assert.equal(whole.done, true);
  assert.equal(whole.done_reason, "stop");
  for (
    const key of [
      "total_duration",
      "load_duration",
      "prompt_eval_count",
      "prompt_eval_duration",
      "eval_count",
      "eval_duration",
    ] as const
  ) {
    assert.ok(whole[key] > 0, key);
  }
  assert.ok(Array.isArray(whole.context));
  let text = "";
  let last;
  for await (
    const part of await ollama.generate({
      model: "llama3.2:3b",
      prompt: "why is the sky blue",
      stream: true,
    })
  ) {
    text += part.response;
    last = part;
  }
  assert.equal(text, whole.response);
  assert.equal(last?.done_reason, "stop");
  assert.equal(last?.eval_count, whole.eval_count);
  const load = await ollama.generate({ model: "llama3.2:3b", prompt: "" });
  assert.equal(load.done_reason, "load");
  const refused = await rejects(ollama.generate({ model: "nomic-embed-text", prompt: "hi" }));
  assert.equal(refused.message, '"nomic-embed-text" does not support generate');
});

Deno.test("embeddings: /api/embed, legacy /api/embeddings and /v1/embeddings agree", async () => {
  await using llm = await startFakeLlm({ embeddingDimensions: 16 });
  const ollama = ollamaFor(llm);
  const embed = await ollama.embed({
    model: "nomic-embed-text",
    input: ["red apples", "blue sky"],
  });
  assert.deepEqual(embed.embeddings, [
    fakeEmbedding("red apples", 16),
    fakeEmbedding("blue sky", 16),
  ]);
  assert.equal(embed.model, "nomic-embed-text");
  assert.ok(embed.total_duration > 0);
  const legacy = await ollama.embeddings({ model: "nomic-embed-text", prompt: "red apples" });
  assert.deepEqual(legacy, { embedding: fakeEmbedding("red apples", 16) });

  const openai = openaiFor(llm);
  // The SDK asks for base64 by default and decodes it to numbers (float32: close, not equal).
  const decoded = await openai.embeddings.create({
    model: "nomic-embed-text",
    input: "red apples",
  });
  assert.equal(
    (llm.requests.at(-1)?.body as { encoding_format: string }).encoding_format,
    "base64",
  );
  const vector = decoded.data[0]!.embedding;
  assert.equal(vector.length, 16);
  fakeEmbedding("red apples", 16).forEach((x, i) => assert.ok(Math.abs(x - vector[i]!) < 1e-6));
  const floats = await openai.embeddings.create({
    model: "nomic-embed-text",
    input: ["red apples"],
    encoding_format: "float",
  });
  assert.deepEqual(floats.data[0]!.embedding, fakeEmbedding("red apples", 16));
  assert.equal(floats.usage.prompt_tokens, 2);
});

Deno.test("openai-node: models.retrieve and completions.create, streamed or not", async () => {
  await using llm = await startFakeLlm();
  const openai = openaiFor(llm);
  const model = await openai.models.retrieve("llama3.2:3b");
  assert.deepEqual(model, {
    id: "llama3.2:3b",
    object: "model",
    created: model.created,
    owned_by: "library",
  });
  const missing = await rejects(openai.models.retrieve("nope"));
  assert.ok(missing instanceof OpenAI.NotFoundError);

  const completion = await openai.completions.create({ model: "llama3.2:3b", prompt: "hi there" });
  assert.equal(completion.object, "text_completion");
  assert.equal(completion.choices[0]!.text, "You said: hi there. (model llama3.2:3b, 1 messages)");
  assert.equal(completion.choices[0]!.finish_reason, "stop");
  assert.equal(completion.usage?.prompt_tokens, 2);
  let text = "";
  let finish;
  const stream = await openai.completions.create({
    model: "llama3.2:3b",
    prompt: "hi there",
    stream: true,
  });
  for await (const chunk of stream) {
    text += chunk.choices[0]?.text ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(text, completion.choices[0]!.text);
  assert.equal(finish, "stop");
});

Deno.test("images: vision models say how many they saw; others are refused like Ollama", async () => {
  await using llm = await startFakeLlm({ models: MODELS });
  const ollama = ollamaFor(llm);
  const look = { role: "user", content: "what is this", images: [PIXEL, PIXEL] };
  for (const model of ["llava:7b", "gemma3:4b"]) {
    const seen = await ollama.chat({ model, messages: [look] });
    assert.equal(
      seen.message.content,
      `You said: what is this. (model ${model}, 1 messages, 2 images)`,
    );
  }
  const generated = await ollama.generate({ model: "llava:7b", prompt: "what", images: [PIXEL] });
  assert.match(generated.response ?? "", /1 images/);
  const refused = await rejects(ollama.chat({ model: "llama3.2:3b", messages: [look] }));
  assert.equal(refused.status_code, 500);
  assert.equal(refused.message, "this model is missing data required for image input");

  const openai = openaiFor(llm);
  const content: OpenAI.Chat.ChatCompletionContentPart[] = [
    { type: "text", text: "what is this" },
    { type: "image_url", image_url: { url: `data:image/png;base64,${PIXEL}` } },
  ];
  const viaOpenai = await openai.chat.completions.create({
    model: "llava:7b",
    messages: [{ role: "user", content }],
  });
  assert.match(viaOpenai.choices[0]!.message.content!, /1 images\)$/);
  const notVision = await rejects(
    openai.chat.completions.create({ model: "llama3.2:3b", messages: [{ role: "user", content }] }),
  );
  assert.ok(notVision instanceof OpenAI.InternalServerError);
  const url = await rejects(openai.chat.completions.create({
    model: "llava:7b",
    messages: [{
      role: "user",
      content: [{ type: "image_url", image_url: { url: "https://example.com/x.png" } }],
    }],
  }));
  assert.ok(url instanceof OpenAI.BadRequestError);
  assert.match(url.message, /image URLs are not currently supported/);
});

Deno.test("think: thinking models return `thinking`; others refuse think:true", async () => {
  await using llm = await startFakeLlm({ models: MODELS });
  const ollama = ollamaFor(llm);
  const messages = [{ role: "user", content: "why is the sky blue" }];
  const thought = await ollama.chat({ model: "qwen3:8b", messages, think: true });
  assert.equal(
    thought.message.thinking,
    "The user asked: why is the sky blue. I will answer briefly.",
  );
  assert.match(thought.message.content, /^You said/);
  const quiet = await ollama.chat({ model: "qwen3:8b", messages, think: false });
  assert.equal(quiet.message.thinking, undefined);
  let thinking = "";
  for await (const part of await ollama.chat({ model: "qwen3:8b", messages, stream: true })) {
    thinking += part.message.thinking ?? "";
  }
  assert.equal(thinking, thought.message.thinking);
  const refused = await rejects(ollama.chat({ model: "llama3.2:3b", messages, think: true }));
  assert.equal(refused.status_code, 400);
  assert.equal(refused.message, '"llama3.2:3b" does not support thinking');
  const body = llm.requests.at(-1)?.body as Record<string, unknown>;
  assert.equal(body.think, true);
});

Deno.test("options, keep_alive and think are recorded as sent; HEAD / answers and is recorded", async () => {
  await using llm = await startFakeLlm();
  await ollamaFor(llm).chat({
    model: "llama3.2:3b",
    messages: [{ role: "user", content: "hi" }],
    options: { temperature: 0, num_ctx: 4096 },
    keep_alive: -1,
    think: false,
  });
  const body = llm.requests.at(-1)?.body as Record<string, unknown>;
  assert.deepEqual(body.options, { temperature: 0, num_ctx: 4096 });
  assert.equal(body.keep_alive, -1);
  assert.equal(body.think, false);
  const head = await fetch(llm.url, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  assert.deepEqual(
    llm.requests.at(-1),
    { method: "HEAD", path: "/", body: undefined, headers: llm.requests.at(-1)!.headers },
  );
  const ps = await fetch(`${llm.url}/api/ps`);
  const running = (await ps.json()).models;
  assert.ok(Date.parse(running[0].expires_at) > Date.now() + 100 * 365 * 86_400_000);
});

Deno.test("modelDelayMs slows only the named model's first token", async () => {
  await using llm = await startFakeLlm({ modelDelayMs: { "gemma3:1b": 150 } });
  const ollama = ollamaFor(llm);
  const messages = [{ role: "user", content: "hi" }];
  let started = performance.now();
  await ollama.chat({ model: "llama3.2:3b", messages });
  assert.ok(performance.now() - started < 120);
  started = performance.now();
  const slow = await ollama.chat({ model: "gemma3:1b", messages });
  assert.ok(performance.now() - started >= 145);
  assert.ok(slow.prompt_eval_duration >= 145e6);
  started = performance.now();
  for await (
    const _ of await openaiFor(llm).chat.completions.create({
      model: "gemma3:1b",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    })
  ) { /* drain */ }
  assert.ok(performance.now() - started >= 145);
});
