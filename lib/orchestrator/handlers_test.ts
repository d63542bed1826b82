import assert from "node:assert/strict";
import { isMycoError, systemClock } from "../core/mod.ts";
import { startFakeLlm } from "../../testing/fake_llm.ts";
import { testClient } from "../../testing/model_client.ts";
import { createHandlers } from "./handlers.ts";
import type { TaskContext, TaskHandler, TaskPayload, TaskRecord } from "./types.ts";

function run(handler: TaskHandler | undefined, payload: TaskPayload, tokens: string[] = []) {
  const ctx: TaskContext = {
    task: {} as TaskRecord,
    signal: new AbortController().signal,
    emit: (text) => tokens.push(text),
  };
  handler!.validate?.(payload);
  return handler!.run(payload, ctx);
}

function handlersFor(url: string) {
  return createHandlers({ client: testClient(url), fetch, clock: systemClock });
}

Deno.test("ping answers {echo, message: pong} without a model server", async () => {
  const handlers = handlersFor("http://127.0.0.1:9");
  assert.deepEqual(await run(handlers.ping, { a: 1 }), { echo: { a: 1 }, message: "pong" });
});

Deno.test("inference streams tokens and returns response, model, speed and duration", async () => {
  await using llm = await startFakeLlm();
  const tokens: string[] = [];
  const result = await run(
    handlersFor(llm.url).inference,
    { model: "llama3.2:3b", prompt: "hi there", system: "be brief", temperature: 0.1 },
    tokens,
  ) as Record<string, unknown>;
  assert.equal(result.response, "You said: hi there. (model llama3.2:3b, 2 messages)");
  assert.equal(tokens.join(""), result.response);
  assert.ok(tokens.length > 3);
  assert.equal(result.model, "llama3.2:3b");
  assert.equal(typeof result.tokens_per_second, "number");
  assert.equal(typeof result.duration_seconds, "number");
  assert.equal(result.eval_count, 8);
  const chat = llm.requests.find((r) => r.path === "/api/chat");
  const body = chat?.body as { options: { temperature: number }; messages: { role: string }[] };
  assert.equal(body.options.temperature, 0.1);
  assert.deepEqual(body.messages.map((m) => m.role), ["system", "user"]);
});

Deno.test("inference takes messages and defaults to the largest chat model", async () => {
  await using llm = await startFakeLlm();
  const result = await run(handlersFor(llm.url).inference, {
    messages: [{ role: "user", content: "one" }, { role: "assistant", content: "two" }, {
      role: "user",
      content: "three",
    }],
  }) as Record<string, unknown>;
  assert.equal(result.model, "qwen2.5:14b");
  assert.match(String(result.response), /You said: three\. \(model qwen2\.5:14b, 3 messages\)/);
});

Deno.test("inference with a model that is not installed fails listing the installed ones", async () => {
  await using llm = await startFakeLlm();
  await assert.rejects(
    () => run(handlersFor(llm.url).inference, { model: "llama9:70b", prompt: "hi" }),
    (e) =>
      isMycoError(e, "model_not_found") && /Installed: gemma3:1b, llama3.2:3b/.test(e.hint ?? ""),
  );
});

Deno.test("inference refuses bad payloads naming the field", () => {
  const { inference } = handlersFor("http://127.0.0.1:9");
  const bad = (payload: TaskPayload, pattern: RegExp, field: string) =>
    assert.throws(
      () => inference!.validate!(payload),
      (e) => isMycoError(e, "invalid_input") && pattern.test(e.message) && e.field === field,
    );
  bad({}, /payload needs 'prompt' or 'messages'/, "payload.prompt");
  bad({ prompt: 3 }, /payload\.prompt must be a string/, "payload.prompt");
  bad(
    { prompt: "x", temperature: 9 },
    /payload\.temperature must be a number from 0 to 2/,
    "payload.temperature",
  );
  bad(
    { prompt: "x", max_tokens: 1.5 },
    /payload\.max_tokens must be an integer/,
    "payload.max_tokens",
  );
  bad(
    { messages: [{ role: "robot", content: "x" }] },
    /payload\.messages\[0\] must be/,
    "payload.messages[0]",
  );
  bad({ messages: [] }, /payload\.messages must be a list/, "payload.messages");
});

Deno.test("embedding returns vectors, model and dimensions", async () => {
  await using llm = await startFakeLlm();
  const { embedding } = handlersFor(llm.url);
  const one = await run(embedding, { text: "hello" }) as Record<string, unknown>;
  assert.equal(one.model, "nomic-embed-text:latest");
  assert.equal(one.dimensions, 64);
  assert.equal((one.embeddings as number[][]).length, 1);
  assert.deepEqual(one.embedding, (one.embeddings as number[][])[0]);
  const two = await run(embedding, { texts: ["a", "b"], model: "nomic-embed-text" }) as {
    embeddings: number[][];
    embedding?: unknown;
  };
  assert.equal(two.embeddings.length, 2);
  assert.equal(two.embedding, undefined);
  await assert.rejects(
    () => run(embedding, { text: "x", model: "nope-embed" }),
    (e) => isMycoError(e, "model_not_found") && /Installed: /.test(e.hint ?? ""),
  );
  assert.throws(() => embedding!.validate!({ texts: ["a", 3] }), /payload\.texts\[1\]/);
});

Deno.test("intent_classify returns the gate's decision", async () => {
  await using llm = await startFakeLlm({
    reply: () => '{"tool": "web_search", "mode": "explore", "scope": "all"}',
  });
  const decision = await run(handlersFor(llm.url).intent_classify, {
    message: "what is the latest news about the mars rover landing",
  }) as { intent: { tool: string }; source: string };
  assert.equal(decision.source, "model");
  assert.equal(decision.intent.tool, "web_search");
  assert.throws(() => handlersFor(llm.url).intent_classify!.validate!({}), /'message'/);
});

Deno.test("web_search and web_fetch are registered and check their payloads", () => {
  const handlers = handlersFor("http://127.0.0.1:9");
  assert.throws(
    () => handlers.web_search!.validate!({ query: " " }),
    /payload\.query must not be empty/,
  );
  assert.throws(() => handlers.web_fetch!.validate!({}), /payload needs 'url'/);
});
