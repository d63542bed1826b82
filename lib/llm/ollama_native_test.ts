import assert from "node:assert/strict";
import { ModelClient } from "./client.ts";
import { contextFromShow } from "./context_window.ts";
import { isMycoError } from "../core/mod.ts";
import { startFakeLlm } from "../../testing/fake_llm.ts";
import { fakeServer } from "../../testing/fake_server.ts";
import { testClientSettings } from "../../testing/model_client.ts";

interface ChatBody {
  model: string;
  stream: boolean;
  options: { num_ctx: number; temperature: number; num_predict?: number };
  keep_alive?: string | number;
}

const hi = [{ role: "user" as const, content: "hi" }];

/** A bare Ollama: `/api/tags`, `/api/show` answered by `show`, and `/api/chat` by `chat`. */
function stubOllama(options: {
  show: (model: string) => Response;
  chat?: () => Response;
}) {
  const server = fakeServer((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/tags") {
      return Response.json({
        models: ["llama3.2:3b", "mine:latest", "tiny:1b"].map((name) => ({ name })),
      });
    }
    if (path === "/api/version") return Response.json({ version: "0.12.6" });
    if (path === "/api/show") return options.show(JSON.parse(server.requests.at(-1)!.body).model);
    if (path === "/api/chat") {
      return options.chat?.() ?? ndjson([
        { message: { role: "assistant", content: "ok" }, done: false },
        {
          message: { role: "assistant", content: "" },
          done: true,
          prompt_eval_count: 3,
          eval_count: 1,
        },
      ]);
    }
    return new Response("404 page not found", { status: 404 });
  });
  return server;
}

function ndjson(lines: unknown[]): Response {
  return new Response(lines.map((l) => JSON.stringify(l) + "\n").join(""), {
    headers: { "content-type": "application/x-ndjson" },
  });
}

function sent(server: ReturnType<typeof stubOllama>, path: string): ChatBody[] {
  return server.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
}

Deno.test("ModelClient sends the configured context_tokens as num_ctx, and keep_alive, natively", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(
    testClientSettings(fake.url, { contextTokens: 12000, keepAlive: "10m" }),
    fetch,
  );
  await client.chat({ model: "llama3.2:3b", messages: hi, maxOutputTokens: 64, temperature: 0 });
  await client.complete({ model: "gemma3:1b", instructions: "classify", prompt: "hi" });
  await client.embed(["a", "b"]);
  const [chat, complete] = fake.requests.filter((r) => r.path === "/api/chat")
    .map((r) => r.body as ChatBody);
  assert.deepEqual(chat?.options, { num_ctx: 12000, temperature: 0, num_predict: 64 });
  assert.equal(chat?.keep_alive, "10m");
  assert.equal(chat?.stream, true);
  assert.deepEqual(complete?.options, { num_ctx: 12000, temperature: 0.3 });
  const embed = fake.requests.find((r) => r.path === "/api/embed")?.body;
  assert.deepEqual(embed, {
    model: "nomic-embed-text:latest",
    input: ["a", "b"],
    keep_alive: "10m",
  });
  assert.ok(!fake.requests.some((r) => r.path === "/api/show"), "configured: nothing to ask");
  assert.ok(!fake.requests.some((r) => r.path.startsWith("/v1/")));
  assert.equal(await client.contextWindow("llama3.2:3b"), 12000);
});

Deno.test("ModelClient leaves keep_alive to Ollama when it is not configured", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url, { contextTokens: 4096 }), fetch);
  await client.chat({ model: "llama3.2:3b", messages: hi });
  const body = fake.requests.find((r) => r.path === "/api/chat")?.body as ChatBody;
  assert.equal("keep_alive" in body, false);
  assert.deepEqual(body.options, { num_ctx: 4096, temperature: 0.7 });
});

Deno.test("ModelClient.contextWindow() takes the model's from /api/show, capped, asked once per model", async () => {
  await using server = stubOllama({
    show: (model) =>
      Response.json(
        model === "llama3.2:3b"
          ? { model_info: { "general.architecture": "llama", "llama.context_length": 131072 } }
          : model === "mine:latest"
          ? { parameters: "temperature 0.7\nnum_ctx 32768", model_info: {} }
          : { model_info: { "general.architecture": "gemma3", "gemma3.context_length": 2048 } },
      ),
  });
  const client = new ModelClient(testClientSettings(server.url), fetch);
  assert.equal(await client.contextWindow("llama3.2:3b"), 8192, "131072 capped");
  assert.equal(await client.contextWindow("mine:latest"), 32768, "the Modelfile's num_ctx");
  assert.equal(await client.contextWindow("tiny:1b"), 2048);
  await client.chat({ model: "llama3.2:3b", messages: hi });
  await client.chat({ model: "llama3.2:3b", messages: hi });
  assert.deepEqual(sent(server, "/api/chat").map((b) => b.options.num_ctx), [8192, 8192]);
  assert.deepEqual(sent(server, "/api/show").map((b) => b.model), [
    "llama3.2:3b",
    "mine:latest",
    "tiny:1b",
  ]);
});

Deno.test("ModelClient.contextWindow() falls back to 4096 without /api/show, and asks again after a failure", async () => {
  let status = 404;
  await using server = stubOllama({
    show: () => Response.json({ error: "nope" }, { status }),
  });
  const client = new ModelClient(testClientSettings(server.url), fetch);
  const answer = await client.chat({ model: "llama3.2:3b", messages: hi });
  assert.equal(answer.text, "ok");
  assert.deepEqual(answer.usage, { inputTokens: 3, outputTokens: 1 });
  await client.chat({ model: "llama3.2:3b", messages: hi });
  assert.deepEqual(sent(server, "/api/chat").map((b) => b.options.num_ctx), [4096, 4096]);
  assert.equal(sent(server, "/api/show").length, 1, "an absent route is remembered");
  status = 500;
  assert.equal(await client.contextWindow("tiny:1b"), 4096);
  assert.equal(await client.contextWindow("tiny:1b"), 4096);
  assert.equal(sent(server, "/api/show").length, 3, "a failure is asked again");
  // An OpenAI-compatible server, or none at all: the default, never an error.
  const none = new ModelClient(testClientSettings("http://127.0.0.1:9"), fetch);
  assert.equal(await none.contextWindow("llama3.2:3b"), 4096);
});

Deno.test("contextFromShow() reads num_ctx, then <arch>.context_length, else null", () => {
  assert.equal(contextFromShow({ parameters: 'num_ctx 16384\nstop "<|eot|>"' }), 16384);
  assert.equal(contextFromShow({ model_info: { "qwen2.context_length": 32768 } }), 8192);
  assert.equal(contextFromShow({ model_info: { "general.architecture": "bert" } }), null);
  assert.equal(contextFromShow(null), null);
});

Deno.test("ModelClient passes Ollama's own error: a missing model is model_not_found", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url, { contextTokens: 4096 }), fetch);
  await assert.rejects(client.chat({ model: "nope:1b", messages: hi }), (e) => {
    assert.ok(isMycoError(e, "model_not_found"), String(e));
    assert.match(e.message, /\(HTTP 404\): model "nope:1b" not found, try pulling it first/);
    assert.match(e.hint ?? "", /ollama pull nope:1b/);
    return true;
  });
  fake.options.failStatus = 500;
  await assert.rejects(
    client.embed(["x"]),
    (e) =>
      isMycoError(e, "model_failed") && /HTTP 500\): fake-llm: injected failure/.test(e.message),
  );
});

Deno.test("ModelClient keeps the partial answer when Ollama reports an error mid-stream", async () => {
  await using server = stubOllama({
    show: () => new Response("404 page not found", { status: 404 }),
    chat: () =>
      ndjson([
        { message: { role: "assistant", content: "Spores " }, done: false },
        { error: "an error was encountered while running the model" },
      ]),
  });
  const client = new ModelClient(testClientSettings(server.url), fetch);
  const pieces: string[] = [];
  await assert.rejects(
    client.chat({ model: "llama3.2:3b", messages: hi, onText: (t) => pieces.push(t) }),
    (e) =>
      isMycoError(e, "model_failed") &&
      /stopped mid-answer: an error was encountered while running the model/.test(e.message),
  );
  assert.deepEqual(pieces, ["Spores "]);
});

Deno.test("ModelClient sends the API key as a Bearer header on Ollama's native routes", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url, { apiKey: "secret" }), fetch);
  await client.chat({ model: "llama3.2:3b", messages: hi });
  await client.embed(["x"]);
  for (const path of ["/api/tags", "/api/show", "/api/chat", "/api/embed"]) {
    const request = fake.requests.find((r) => r.path === path);
    assert.equal(request?.headers.authorization, "Bearer secret", path);
  }
});

Deno.test("ModelClient says which URL to fix when Ollama goes away after listing", async () => {
  const fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url, { urlSource: "OLLAMA_HOST" }), fetch);
  await client.listing();
  await fake.close();
  await assert.rejects(client.chat({ model: "llama3.2:3b", messages: hi }), (e) => {
    assert.ok(isMycoError(e, "model_server_unreachable"), String(e));
    assert.match(e.message, /No model server at http:\/\/127\.0\.0\.1:\d+ \(from OLLAMA_HOST\)/);
    return true;
  });
});
