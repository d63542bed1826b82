import assert from "node:assert/strict";
import { ModelClient } from "./client.ts";
import { isMycoError } from "../core/mod.ts";
import { fakeEmbedding, startFakeLlm } from "../../testing/fake_llm.ts";
import { testClientSettings } from "../../testing/model_client.ts";

Deno.test("ModelClient lists Ollama models with sizes and families via /api/tags", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url), fetch);
  const { server, models } = await client.listing();
  assert.equal(server.kind, "ollama");
  assert.equal(server.apiBase, `${fake.url}/v1`);
  assert.match(server.version ?? "", /^\d+\.\d+/);
  const qwen = models.find((m) => m.name === "qwen2.5:14b");
  assert.ok(qwen?.size_bytes && qwen.size_bytes > 1e9);
  assert.deepEqual(await client.roles(), {
    chat: "qwen2.5:14b",
    gate: "gemma3:1b",
    embedding: "nomic-embed-text:latest",
  });
  assert.ok(fake.requests.some((r) => r.path === "/api/tags"));
});

Deno.test("ModelClient detects a plain OpenAI-compatible server in auto mode", async () => {
  await using fake = await startFakeLlm({ flavor: "openai", models: [{ name: "local-7b" }] });
  const client = new ModelClient(testClientSettings(fake.url, { kind: "auto" }), fetch);
  const { server, models } = await client.listing();
  assert.equal(server.kind, "openai");
  assert.deepEqual(models.map((m) => m.name), ["local-7b"]);
  assert.equal(await client.chatModel(), "local-7b");
  // Also given as a /v1 base URL, the way MYCOSWARM_LLM_URL is usually written.
  const v1 = new ModelClient(testClientSettings(`${fake.url}/v1`, { kind: "openai" }), fetch);
  assert.equal((await v1.listing()).server.apiBase, `${fake.url}/v1`);
});

Deno.test("ModelClient.chat() streams through Ollama's native /api/chat and reports usage", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url), fetch);
  const pieces: string[] = [];
  const answer = await client.chat({
    model: "llama3.2:3b",
    messages: [{ role: "user", content: "tell me about mushrooms" }],
    instructions: "be brief",
    onText: (t) => pieces.push(t),
  });
  assert.equal(answer.text, "You said: tell me about mushrooms. (model llama3.2:3b, 2 messages)");
  assert.ok(pieces.length > 3, "the answer arrived in several pieces");
  assert.equal(pieces.join(""), answer.text);
  assert.equal(answer.usage.outputTokens, pieces.length);
  assert.ok((answer.usage.inputTokens ?? 0) > 0);
  assert.ok(!fake.requests.some((r) => r.path.startsWith("/v1/")), "nothing went to /v1");
  const call = fake.requests.find((r) => r.path === "/api/chat");
  const body = call?.body as { stream: boolean; messages: { role: string }[] };
  assert.equal(body.stream, true);
  assert.deepEqual(body.messages.map((m) => m.role), ["system", "user"]);
});

Deno.test("ModelClient.chat() streams through /v1/chat/completions on an OpenAI-compatible server", async () => {
  await using fake = await startFakeLlm({ flavor: "openai", models: [{ name: "local-7b" }] });
  const client = new ModelClient(
    testClientSettings(fake.url, { kind: "openai", apiKey: "sk-test", contextTokens: 16384 }),
    fetch,
  );
  const pieces: string[] = [];
  const answer = await client.chat({
    model: "local-7b",
    messages: [{ role: "user", content: "hi" }],
    onText: (t) => pieces.push(t),
  });
  assert.match(answer.text, /You said: hi/);
  assert.equal(pieces.join(""), answer.text);
  assert.ok((answer.usage.outputTokens ?? 0) > 0);
  const call = fake.requests.find((r) => r.path === "/v1/chat/completions");
  assert.equal((call?.body as { stream: boolean }).stream, true);
  assert.equal(call?.headers.authorization, "Bearer sk-test");
  assert.ok(!fake.requests.some((r) => r.path.startsWith("/api/")), "nothing went to /api");
  assert.equal(await client.contextWindow("local-7b"), 16384);
  const vectors = await new ModelClient(
    testClientSettings(fake.url, { kind: "openai", embeddingModel: "local-7b" }),
    fetch,
  ).embed(["a", "b"]);
  assert.equal(vectors.length, 2);
  assert.ok(fake.requests.some((r) => r.path === "/v1/embeddings"));
});

Deno.test("ModelClient.chat() keeps the partial answer when the server drops mid-stream", async () => {
  await using fake = await startFakeLlm({ dropAfterTokens: 3 });
  const client = new ModelClient(testClientSettings(fake.url), fetch);
  const pieces: string[] = [];
  await assert.rejects(
    client.chat({
      model: "gemma3:1b",
      messages: [{ role: "user", content: "a long question about fungi" }],
      onText: (t) => pieces.push(t),
    }),
    (e) => {
      assert.ok(isMycoError(e, "model_failed"), String(e));
      assert.match(e.message, /dropped mid-answer; the partial answer was kept/);
      return true;
    },
  );
  assert.equal(pieces.join(""), "You said: a");
});

Deno.test("ModelClient.chat() stops cleanly when aborted and returns what came", async () => {
  await using fake = await startFakeLlm({ tokenDelayMs: 20 });
  const client = new ModelClient(testClientSettings(fake.url), fetch);
  const controller = new AbortController();
  let count = 0;
  const answer = await client.chat({
    model: "gemma3:1b",
    messages: [{ role: "user", content: "one two three four five six seven" }],
    signal: controller.signal,
    onText: () => {
      if (++count === 2) controller.abort();
    },
  });
  assert.equal(answer.aborted, true);
  assert.ok(answer.text.length > 0 && !answer.text.includes("seven"));
});

Deno.test("ModelClient maps server errors to clear messages", async () => {
  await using fake = await startFakeLlm({ failStatus: 500, failCount: 1 });
  const client = new ModelClient(testClientSettings(fake.url), fetch);
  await assert.rejects(
    client.chat({ model: "gemma3:1b", messages: [{ role: "user", content: "hi" }] }),
    (e) => isMycoError(e, "model_failed") && /HTTP 500/.test(e.message),
  );
  const ok = await client.chat({ model: "gemma3:1b", messages: [{ role: "user", content: "hi" }] });
  assert.match(ok.text, /You said: hi/);
});

Deno.test("ModelClient.chatModel() refuses a missing or embedding model, listing what is installed", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url), fetch);
  assert.equal(await client.chatModel("gemma3:1b"), "gemma3:1b");
  assert.equal(await client.chatModel("llama3.2:3b:latest"), "llama3.2:3b");
  await assert.rejects(
    client.chatModel("nomic-embed-text"),
    (e) => isMycoError(e, "model_not_found") && /embedding model and cannot chat/.test(e.message),
  );
  await assert.rejects(client.chatModel("llama9:70b"), (e) => {
    assert.ok(isMycoError(e, "model_not_found"));
    assert.equal(e.exitCode, 3);
    assert.match(e.message, /'llama9:70b' is not installed/);
    assert.match(e.hint ?? "", /Installed: gemma3:1b, llama3\.2:3b, qwen2\.5:14b/);
    return true;
  });
});

Deno.test("ModelClient.embed() batches texts through Ollama's /api/embed with the embedding model", async () => {
  await using fake = await startFakeLlm();
  const client = new ModelClient(testClientSettings(fake.url), fetch);
  const texts = ["red mushrooms in the forest", "forest mushrooms are red", "tax law"];
  const vectors = await client.embed(texts);
  assert.equal(vectors.length, 3);
  assert.deepEqual(vectors[0], fakeEmbedding(texts[0]!, 64));
  const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  assert.ok(cos(vectors[0]!, vectors[1]!) > cos(vectors[0]!, vectors[2]!));
  const calls = fake.requests.filter((r) => r.path === "/api/embed");
  assert.equal(calls.length, 1, "one batched request");
  assert.deepEqual(calls[0]?.body, { model: "nomic-embed-text:latest", input: texts });
});

Deno.test("ModelClient says which URL it tried when nothing listens", async () => {
  const client = new ModelClient(
    testClientSettings("http://127.0.0.1:9", { urlSource: "OLLAMA_HOST" }),
    fetch,
  );
  await assert.rejects(client.listing(), (e) => {
    assert.ok(isMycoError(e, "model_server_unreachable"));
    assert.match(e.message, /No model server at http:\/\/127\.0\.0\.1:9 \(from OLLAMA_HOST\)/);
    return true;
  });
});
