import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { forwardToServer } from "./forward.ts";
import { IGNORED_HEADER } from "./ollama_bridge.ts";
import type { ModelServer } from "./types.ts";
import { defaultReply, type FakeLlm, startFakeLlm } from "../../testing/fake_llm.ts";
import { fakeServer } from "../../testing/fake_server.ts";

function openaiServer(url: string): ModelServer {
  return {
    url,
    kind: "openai",
    apiBase: `${url}/v1`,
    urlSource: "test",
    apiKey: "sk-test",
    version: null,
    keepAlive: null,
  };
}

function post(url: string, path: string, body: unknown): Promise<Response> {
  return forwardToServer(openaiServer(url), path, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
  }, fetch);
}

async function ndjson(response: Response): Promise<Record<string, unknown>[]> {
  const text = await response.text();
  return text.trim().split("\n").map((line) => JSON.parse(line));
}

function llm(): Promise<FakeLlm> {
  return startFakeLlm({ flavor: "openai", models: [{ name: "local-7b" }, { name: "embedder" }] });
}

const HI = [{ role: "user", content: "hi there" }];

Deno.test("forwardToServer() translates /api/chat for an OpenAI-only server, whole answer", async () => {
  await using fake = await llm();
  const response = await post(fake.url, "/api/chat", {
    model: "local-7b",
    messages: HI,
    stream: false,
    keep_alive: "10m",
    options: { num_ctx: 8192, temperature: 0.1 },
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get(IGNORED_HEADER), "num_ctx, keep_alive");
  const answer = await response.json();
  assert.equal(answer.model, "local-7b");
  assert.deepEqual(answer.message, {
    role: "assistant",
    content: defaultReply([{ role: "user", content: "hi there" }], "local-7b"),
  });
  assert.equal(answer.done, true);
  assert.equal(answer.done_reason, "stop");
  assert.ok(typeof answer.total_duration === "number" && answer.total_duration >= 0);
  assert.equal(typeof answer.prompt_eval_count, "number");
  assert.equal(typeof answer.eval_count, "number");
  assert.match(answer.created_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(fake.requests.length, 1);
  const [sent] = fake.requests;
  assert.equal(sent?.path, "/v1/chat/completions");
  assert.equal(sent?.headers.authorization, "Bearer sk-test");
  assert.deepEqual(sent?.body, {
    model: "local-7b",
    messages: HI,
    stream: false,
    temperature: 0.1,
  });
});

Deno.test("forwardToServer() streams /api/chat as Ollama NDJSON (stream is Ollama's default)", async () => {
  await using fake = await llm();
  const response = await post(fake.url, "/api/chat", { model: "local-7b", messages: HI });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/x-ndjson");
  assert.equal(response.headers.get(IGNORED_HEADER), null);
  const lines = await ndjson(response);
  const last = lines.pop();
  assert.ok(lines.length > 1);
  assert.ok(lines.every((l) => l.done === false));
  const text = lines.map((l) => (l.message as { content: string }).content).join("");
  assert.equal(text, defaultReply([{ role: "user", content: "hi there" }], "local-7b"));
  assert.equal(last?.done, true);
  assert.equal(last?.done_reason, "stop");
  assert.equal(last?.eval_count, lines.length, "usage from the include_usage chunk");
  assert.equal(typeof last?.prompt_eval_count, "number");
  const body = fake.requests[0]?.body as Record<string, unknown>;
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
});

Deno.test("forwardToServer() translates /api/generate, whole and streamed", async () => {
  await using fake = await llm();
  const whole = await (await post(fake.url, "/api/generate", {
    model: "local-7b",
    system: "Be brief.",
    prompt: "hello",
    stream: false,
  })).json();
  const reply = defaultReply([
    { role: "system", content: "Be brief." },
    { role: "user", content: "hello" },
  ], "local-7b");
  assert.equal(whole.response, reply);
  assert.equal(whole.done, true);
  assert.equal(whole.done_reason, "stop");
  assert.deepEqual((fake.requests[0]?.body as { messages: unknown }).messages, [
    { role: "system", content: "Be brief." },
    { role: "user", content: "hello" },
  ]);
  const lines = await ndjson(
    await post(fake.url, "/api/generate", { model: "local-7b", prompt: "hello" }),
  );
  const last = lines.pop();
  assert.equal(
    lines.map((l) => l.response).join(""),
    defaultReply([{ role: "user", content: "hello" }], "local-7b"),
  );
  assert.equal(last?.done, true);
  assert.equal(last?.response, "");
});

Deno.test("forwardToServer() answers a generate load request without asking the server", async () => {
  await using fake = await llm();
  const answer = await (await post(fake.url, "/api/generate", { model: "local-7b", stream: false }))
    .json();
  assert.equal(answer.done_reason, "load");
  assert.equal(fake.requests.length, 0);
});

Deno.test("forwardToServer() translates /api/embed and /api/embeddings", async () => {
  await using fake = await llm();
  const embed = await (await post(fake.url, "/api/embed", {
    model: "embedder",
    input: ["one", "two"],
    dimensions: 8,
  })).json();
  assert.equal(embed.model, "embedder");
  assert.equal(embed.embeddings.length, 2);
  assert.equal(embed.embeddings[0].length, 8);
  assert.equal(typeof embed.prompt_eval_count, "number");
  assert.equal(fake.requests[0]?.path, "/v1/embeddings");
  const legacy = await post(fake.url, "/api/embeddings", { model: "embedder", prompt: "one" });
  const body = await legacy.json();
  assert.deepEqual(Object.keys(body), ["embedding"]);
  assert.equal(body.embedding.length, 64);
});

Deno.test("forwardToServer() refuses an untranslatable request with Ollama's 400 before sending", async () => {
  await using fake = await llm();
  for (
    const [path, body, field] of [
      [
        "/api/chat",
        { model: "local-7b", messages: HI, options: { mirostat: 2 } },
        "options.mirostat",
      ],
      ["/api/chat", { model: "local-7b", messages: HI, think: true }, "think"],
      ["/api/generate", { model: "local-7b", prompt: "x", raw: true }, "raw"],
      ["/api/chat", "not json", "JSON object"],
    ] as const
  ) {
    const response = await post(fake.url, path, body);
    assert.equal(response.status, 400);
    const { error } = await response.json();
    assert.equal(typeof error, "string");
    assert.ok(error.includes(field), error);
  }
  assert.equal(fake.requests.length, 0);
});

Deno.test("forwardToServer() answers /api/ps with no models and refuses show, pull and tags", async () => {
  await using fake = await llm();
  const server = openaiServer(fake.url);
  const ps = await forwardToServer(server, "/api/ps", { method: "GET" }, fetch);
  assert.deepEqual(await ps.json(), { models: [] });
  for (
    const [method, path] of [["POST", "/api/show"], ["POST", "/api/pull"], ["GET", "/api/tags"]]
  ) {
    const body = method === "POST" ? JSON.stringify({ model: "local-7b" }) : undefined;
    const response = await forwardToServer(server, path!, { method: method!, body }, fetch);
    assert.equal(response.status, 400);
    assert.match((await response.json()).error, /speaks only the OpenAI API/);
  }
  assert.equal(fake.requests.length, 0);
});

Deno.test("forwardToServer() passes the server's error status with Ollama's error shape", async () => {
  await using fake = await llm();
  const missing = await post(fake.url, "/api/chat", { model: "nope", messages: HI, stream: false });
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).error, /nope/);
  fake.options.failStatus = 503;
  const failed = await post(fake.url, "/api/chat", { model: "local-7b", messages: HI });
  assert.equal(failed.status, 503);
  assert.deepEqual(await failed.json(), { error: "fake-llm: injected failure (HTTP 503)" });
});

Deno.test("forwardToServer() ends a broken stream with an NDJSON error line", async () => {
  await using fake = await startFakeLlm({
    flavor: "openai",
    models: [{ name: "local-7b" }],
    dropAfterTokens: 2,
  });
  const lines = await ndjson(
    await post(fake.url, "/api/chat", { model: "local-7b", messages: HI }),
  );
  const last = lines.pop();
  assert.equal(typeof last?.error, "string");
  assert.equal(lines.length, 2);
  assert.ok(lines.every((l) => l.done === false));
});

Deno.test("forwardToServer() throws model_server_unreachable when nothing answers", async () => {
  await assert.rejects(
    post("http://127.0.0.1:9", "/api/chat", { model: "m", messages: HI }),
    (e: unknown) => isMycoError(e) && e.code === "model_server_unreachable",
  );
});

function sse(events: unknown[], done = true): Response {
  const text = events.map((e) => `data: ${typeof e === "string" ? e : JSON.stringify(e)}\n\n`)
    .join("") + (done ? "data: [DONE]\n\n" : "");
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

const toolDelta = (index: number, fn: Record<string, string>, finish: string | null = null) => ({
  object: "chat.completion.chunk",
  choices: [{
    index: 0,
    delta: {
      tool_calls: [{
        index,
        ...(fn.name ? { id: `c${index}`, type: "function" } : {}),
        function: fn,
      }],
    },
    finish_reason: finish,
  }],
});

Deno.test("forwardToServer() streams tool-call deltas as one message.tool_calls line", async () => {
  await using stub = fakeServer(() =>
    sse([
      { choices: [{ index: 0, delta: { role: "assistant", content: null }, finish_reason: null }] },
      toolDelta(0, { name: "turn_on", arguments: '{"entity' }),
      toolDelta(0, { arguments: '":"light.kitchen"}' }),
      { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
      { choices: [], usage: { prompt_tokens: 40, completion_tokens: 9, total_tokens: 49 } },
    ])
  );
  const tools = [{ type: "function", function: { name: "turn_on", parameters: {} } }];
  const lines = await ndjson(
    await post(stub.url, "/api/chat", { model: "m", messages: HI, tools }),
  );
  assert.equal(lines.length, 2);
  assert.deepEqual((lines[0]?.message as Record<string, unknown>).tool_calls, [
    { function: { name: "turn_on", arguments: { entity: "light.kitchen" } } },
  ]);
  assert.equal(lines[1]?.done, true);
  assert.equal(lines[1]?.prompt_eval_count, 40);
  assert.equal(lines[1]?.eval_count, 9);
  assert.deepEqual(JSON.parse(stub.requests[0]?.body ?? "").tools, tools);
  assert.equal(stub.requests[0]?.path, "/v1/chat/completions");
});

Deno.test("forwardToServer() answers 502 in Ollama's shape for a malformed answer", async () => {
  await using stub = fakeServer(() => new Response("<html>oops</html>", { status: 200 }));
  const response = await post(stub.url, "/api/chat", { model: "m", messages: HI, stream: false });
  assert.equal(response.status, 502);
  assert.equal(typeof (await response.json()).error, "string");
  const embed = await post(stub.url, "/api/embed", { model: "m", input: "x" });
  assert.equal(embed.status, 502);
  await embed.body?.cancel();
});

Deno.test("forwardToServer() ends a stream with an error line for an error event or garbage", async () => {
  for (const bad of [{ error: { message: "out of memory" } }, "{not json"]) {
    await using stub = fakeServer(() =>
      sse([{ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] }, bad], false)
    );
    const lines = await ndjson(await post(stub.url, "/api/chat", { model: "m", messages: HI }));
    assert.equal((lines[0]?.message as { content: string }).content, "Hi");
    assert.equal(lines.length, 2);
    assert.equal(typeof lines[1]?.error, "string");
  }
  await using cut = fakeServer(() =>
    sse([{ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] }], false)
  );
  const lines = await ndjson(await post(cut.url, "/api/chat", { model: "m", messages: HI }));
  assert.match(String(lines.at(-1)?.error), /ended before the answer was complete/);
});
