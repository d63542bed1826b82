/** The test model server, exercised through real fetch over loopback. */

import assert from "node:assert/strict";
import {
  defaultReply,
  fakeEmbedding,
  type FakeLlm,
  splitTokens,
  startFakeLlm,
} from "../testing/fake_llm.ts";

const MESSAGES = [
  { role: "system", content: "Answer briefly." },
  { role: "user", content: "why is the sky blue" },
];
const REPLY = "You said: why is the sky blue. (model llama3.2:3b, 2 messages)";

function post(llm: FakeLlm, path: string, body: unknown): Promise<Response> {
  return fetch(llm.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Every body chunk as the client reads it, and the error that ended the read, if any. */
async function readChunks(res: Response): Promise<{ chunks: string[]; error?: unknown }> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return { chunks };
      chunks.push(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    return { chunks, error };
  }
}

function ndjson(text: string): Record<string, unknown>[] {
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

/** The `data:` payloads of an SSE body, in order. */
function sseData(text: string): string[] {
  return text.split("\n\n").filter((event) => event !== "").map((event) => {
    assert.match(event, /^data: /);
    return event.slice("data: ".length);
  });
}

// deno-lint-ignore no-explicit-any
type Json = any;

function ollamaContent(lines: Json[]): string {
  return lines.filter((l) => !l.done).map((l) => l.message.content).join("");
}

function sseContent(chunks: Json[]): string {
  return chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
}

function cosine(a: number[], b: number[]): number {
  return a.reduce((sum, x, i) => sum + x * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b);
}

Deno.test("GET / and /api/version answer like Ollama", async () => {
  await using llm = await startFakeLlm();
  const root = await fetch(llm.url + "/");
  assert.equal(await root.text(), "Ollama is running");
  const version = await fetch(`${llm.url}/api/version`);
  assert.equal(version.status, 200);
  assert.match((await version.json()).version, /^\d+\.\d+\.\d+$/);
  assert.match(llm.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(llm.port, 0);
});

Deno.test("/api/tags lists the default models with the documented fields", async () => {
  await using llm = await startFakeLlm();
  const { models } = await (await fetch(`${llm.url}/api/tags`)).json();
  assert.deepEqual(models.map((m: Json) => m.name), [
    "gemma3:1b",
    "llama3.2:3b",
    "qwen2.5:14b",
    "nomic-embed-text:latest",
  ]);
  const llama = models[1];
  assert.equal(llama.model, "llama3.2:3b");
  assert.equal(llama.size, 2_000_000_000);
  assert.match(llama.digest, /^[0-9a-f]{64}$/);
  assert.ok(!Number.isNaN(Date.parse(llama.modified_at)));
  assert.deepEqual(llama.details, {
    parent_model: "",
    format: "gguf",
    family: "llama",
    families: ["llama"],
    parameter_size: "3.2B",
    quantization_level: "Q4_K_M",
  });
  assert.equal(models[3].details.family, "nomic-bert");
});

Deno.test("/v1/models lists the same models in OpenAI's list shape", async () => {
  await using llm = await startFakeLlm({ models: [{ name: "mistral:7b" }] });
  const body = await (await fetch(`${llm.url}/v1/models`)).json();
  assert.equal(body.object, "list");
  assert.equal(body.data.length, 1);
  assert.equal(body.data[0].id, "mistral:7b");
  assert.equal(body.data[0].object, "model");
  assert.equal(typeof body.data[0].created, "number");
  assert.equal(typeof body.data[0].owned_by, "string");
});

Deno.test("/api/chat with stream:false answers one object with the reply and stats", async () => {
  await using llm = await startFakeLlm();
  const res = await post(llm, "/api/chat", {
    model: "llama3.2:3b",
    messages: MESSAGES,
    stream: false,
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.model, "llama3.2:3b");
  assert.deepEqual(body.message, { role: "assistant", content: REPLY });
  assert.equal(body.done, true);
  assert.equal(body.done_reason, "stop");
  assert.equal(body.prompt_eval_count, 7);
  assert.equal(body.eval_count, splitTokens(REPLY).length);
  for (const key of ["total_duration", "load_duration", "prompt_eval_duration", "eval_duration"]) {
    assert.ok(Number.isInteger(body[key]) && body[key] > 0, key);
  }
  assert.ok(!Number.isNaN(Date.parse(body.created_at)));
});

Deno.test("/api/chat streams NDJSON by default, joining to the stream:false reply", async () => {
  await using llm = await startFakeLlm();
  const res = await post(llm, "/api/chat", { model: "llama3.2:3b", messages: MESSAGES });
  assert.equal(res.headers.get("content-type"), "application/x-ndjson");
  const lines: Json[] = ndjson(await res.text());
  assert.equal(ollamaContent(lines), REPLY);
  assert.equal(lines.length, splitTokens(REPLY).length + 1);
  assert.ok(lines.slice(0, -1).every((l) => l.done === false && l.message.role === "assistant"));
  const last = lines.at(-1);
  assert.equal(last.done, true);
  assert.equal(last.done_reason, "stop");
  assert.equal(last.message.content, "");
  assert.equal(last.eval_count, lines.length - 1);
  assert.equal(last.prompt_eval_count, 7);
  assert.ok(last.total_duration >= last.load_duration + last.eval_duration);
});

Deno.test("/v1/chat/completions without stream answers a chat.completion with usage", async () => {
  await using llm = await startFakeLlm();
  const res = await post(llm, "/v1/chat/completions", { model: "llama3.2:3b", messages: MESSAGES });
  const body = await res.json();
  assert.equal(body.object, "chat.completion");
  assert.match(body.id, /^chatcmpl-/);
  assert.equal(body.model, "llama3.2:3b");
  assert.equal(body.choices.length, 1);
  assert.deepEqual(body.choices[0].message, { role: "assistant", content: REPLY });
  assert.equal(body.choices[0].finish_reason, "stop");
  const completion = splitTokens(REPLY).length;
  assert.deepEqual(body.usage, {
    prompt_tokens: 7,
    completion_tokens: completion,
    total_tokens: 7 + completion,
  });
});

Deno.test("/v1/chat/completions streams SSE chunks ending in [DONE], without usage by default", async () => {
  await using llm = await startFakeLlm();
  const res = await post(llm, "/v1/chat/completions", {
    model: "llama3.2:3b",
    messages: MESSAGES,
    stream: true,
  });
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const data = sseData(await res.text());
  assert.equal(data.at(-1), "[DONE]");
  const chunks: Json[] = data.slice(0, -1).map((d) => JSON.parse(d));
  assert.ok(chunks.every((c) => c.object === "chat.completion.chunk" && c.id === chunks[0].id));
  assert.ok(chunks.every((c) => !("usage" in c)));
  assert.equal(chunks[0].choices[0].delta.role, "assistant");
  assert.equal(sseContent(chunks), REPLY);
  assert.equal(chunks.at(-1).choices[0].finish_reason, "stop");
  assert.ok(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === null));
});

Deno.test("stream_options.include_usage adds a last chunk with empty choices and usage", async () => {
  await using llm = await startFakeLlm();
  const res = await post(llm, "/v1/chat/completions", {
    model: "llama3.2:3b",
    messages: MESSAGES,
    stream: true,
    stream_options: { include_usage: true },
  });
  const data = sseData(await res.text());
  assert.equal(data.at(-1), "[DONE]");
  const chunks: Json[] = data.slice(0, -1).map((d) => JSON.parse(d));
  const usageChunk = chunks.at(-1);
  assert.deepEqual(usageChunk.choices, []);
  const completion = splitTokens(REPLY).length;
  assert.deepEqual(usageChunk.usage, {
    prompt_tokens: 7,
    completion_tokens: completion,
    total_tokens: 7 + completion,
  });
  assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
  assert.equal(sseContent(chunks.slice(0, -1)), REPLY);
});

Deno.test("the reply option replaces the default reply on both APIs", async () => {
  await using llm = await startFakeLlm({
    reply: (messages, model) => `${model} saw ${messages.length}`,
  });
  const native = await post(llm, "/api/chat", {
    model: "gemma3:1b",
    messages: MESSAGES,
    stream: false,
  });
  assert.equal((await native.json()).message.content, "gemma3:1b saw 2");
  const compat = await post(llm, "/v1/chat/completions", {
    model: "gemma3:1b",
    messages: MESSAGES,
  });
  assert.equal((await compat.json()).choices[0].message.content, "gemma3:1b saw 2");
  assert.equal(
    defaultReply([{ role: "user", content: " hi " }], "m"),
    "You said: hi. (model m, 1 messages)",
  );
});

Deno.test("dropAfterTokens cuts an NDJSON stream: the client read fails after N tokens", async () => {
  await using llm = await startFakeLlm({ dropAfterTokens: 3 });
  const res = await post(llm, "/api/chat", { model: "llama3.2:3b", messages: MESSAGES });
  assert.equal(res.status, 200);
  const { chunks, error } = await readChunks(res);
  assert.ok(error instanceof Error, "the body read must fail");
  const lines: Json[] = ndjson(chunks.join(""));
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => l.done === false));
  assert.equal(ollamaContent(lines), splitTokens(REPLY).slice(0, 3).join(""));
});

Deno.test("dropAfterTokens cuts an SSE stream: no finish chunk, no [DONE]", async () => {
  await using llm = await startFakeLlm({ dropAfterTokens: 2 });
  const res = await post(llm, "/v1/chat/completions", {
    model: "llama3.2:3b",
    messages: MESSAGES,
    stream: true,
  });
  const { chunks, error } = await readChunks(res);
  assert.ok(error instanceof Error, "the body read must fail");
  const data = sseData(chunks.join(""));
  assert.ok(!data.includes("[DONE]"));
  const parsed: Json[] = data.map((d) => JSON.parse(d));
  assert.equal(parsed.length, 3); // the role chunk, then 2 tokens
  assert.equal(sseContent(parsed), splitTokens(REPLY).slice(0, 2).join(""));
});

Deno.test("failStatus with failCount fails that many chat/embed requests in each API's shape", async () => {
  await using llm = await startFakeLlm({ failStatus: 503, failCount: 2 });
  const first = await post(llm, "/api/chat", { model: "llama3.2:3b", messages: MESSAGES });
  assert.equal(first.status, 503);
  assert.equal(typeof (await first.json()).error, "string");
  const tags = await fetch(`${llm.url}/api/tags`); // listing is never failed
  assert.equal(tags.status, 200);
  await tags.body?.cancel();
  const second = await post(llm, "/v1/embeddings", { model: "nomic-embed-text", input: "x" });
  assert.equal(second.status, 503);
  const error = (await second.json()).error;
  assert.equal(error.type, "server_error");
  assert.equal(typeof error.message, "string");
  assert.equal(llm.options.failCount, 0);
  const third = await post(llm, "/api/chat", {
    model: "llama3.2:3b",
    messages: MESSAGES,
    stream: false,
  });
  assert.equal(third.status, 200);
  await third.body?.cancel();
});

Deno.test("failStatus without failCount fails every request until cleared at runtime", async () => {
  await using llm = await startFakeLlm({ failStatus: 500 });
  for (let i = 0; i < 3; i++) {
    const res = await post(llm, "/api/embed", { model: "nomic-embed-text", input: "x" });
    assert.equal(res.status, 500);
    await res.body?.cancel();
  }
  delete llm.options.failStatus;
  const res = await post(llm, "/api/embed", { model: "nomic-embed-text", input: "x" });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("an unknown model answers 404 in each API's own error shape", async () => {
  await using llm = await startFakeLlm();
  const native = await post(llm, "/api/chat", { model: "nope:1b", messages: MESSAGES });
  assert.equal(native.status, 404);
  assert.deepEqual(await native.json(), {
    error: 'model "nope:1b" not found, try pulling it first',
  });
  const compat = await post(llm, "/v1/chat/completions", { model: "nope:1b", messages: MESSAGES });
  assert.equal(compat.status, 404);
  const { error } = await compat.json();
  assert.equal(error.type, "invalid_request_error");
  assert.equal(error.code, "model_not_found");
  assert.match(error.message, /nope:1b/);
  const embed = await post(llm, "/api/embed", { model: "nope", input: "x" });
  assert.equal(embed.status, 404);
  await embed.body?.cancel();
});

Deno.test("an untagged model name means :latest, as in Ollama", async () => {
  await using llm = await startFakeLlm();
  for (const model of ["nomic-embed-text", "nomic-embed-text:latest"]) {
    const res = await post(llm, "/api/embed", { model, input: "x" });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).model, model);
  }
});

Deno.test("malformed JSON answers 400 in each API's own error shape", async () => {
  await using llm = await startFakeLlm();
  const native = await post(llm, "/api/chat", "{not json");
  assert.equal(native.status, 400);
  assert.equal(typeof (await native.json()).error, "string");
  const compat = await post(llm, "/v1/chat/completions", "{not json");
  assert.equal(compat.status, 400);
  assert.equal((await compat.json()).error.type, "invalid_request_error");
  assert.equal(llm.requests.at(-1)?.body, "{not json");
});

Deno.test("Ollama refuses to chat with an embedding model and loads on empty messages", async () => {
  await using llm = await startFakeLlm();
  const refused = await post(llm, "/api/chat", { model: "nomic-embed-text", messages: MESSAGES });
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error, /does not support chat/);
  const load = await post(llm, "/api/chat", { model: "gemma3:1b", messages: [] });
  const body = await load.json();
  assert.equal(body.done, true);
  assert.equal(body.done_reason, "load");
});

Deno.test("the openai flavor serves /v1/* only: /api/* answers 404", async () => {
  await using llm = await startFakeLlm({ flavor: "openai", models: [{ name: "local-model" }] });
  for (const path of ["/api/tags", "/api/version"]) {
    const res = await fetch(llm.url + path);
    assert.equal(res.status, 404, path);
    await res.body?.cancel();
  }
  const chat = await post(llm, "/api/chat", { model: "local-model", messages: MESSAGES });
  assert.equal(chat.status, 404);
  await chat.body?.cancel();
  const models = await (await fetch(`${llm.url}/v1/models`)).json();
  assert.deepEqual(models.data.map((m: Json) => m.id), ["local-model"]);
  const reply = await post(llm, "/v1/chat/completions", {
    model: "local-model",
    messages: MESSAGES,
  });
  assert.equal(reply.status, 200);
  await reply.body?.cancel();
});

Deno.test("/api/embed and /v1/embeddings are deterministic, take a string or a list", async () => {
  await using llm = await startFakeLlm({ embeddingDimensions: 32 });
  const native = await (await post(llm, "/api/embed", {
    model: "nomic-embed-text",
    input: ["the cat sat", "quantum flux"],
  })).json();
  assert.equal(native.model, "nomic-embed-text");
  assert.equal(native.embeddings.length, 2);
  assert.ok(native.embeddings.every((e: number[]) => e.length === 32));
  assert.equal(native.prompt_eval_count, 5);
  assert.ok(Number.isInteger(native.total_duration) && Number.isInteger(native.load_duration));
  assert.deepEqual(native.embeddings[0], fakeEmbedding("the cat sat", 32));

  const compat = await (await post(llm, "/v1/embeddings", {
    model: "nomic-embed-text",
    input: "the cat sat",
  })).json();
  assert.equal(compat.object, "list");
  assert.equal(compat.data.length, 1);
  assert.equal(compat.data[0].object, "embedding");
  assert.equal(compat.data[0].index, 0);
  assert.deepEqual(compat.data[0].embedding, native.embeddings[0]);
  assert.deepEqual(compat.usage, { prompt_tokens: 3, total_tokens: 3 });
});

Deno.test("fakeEmbedding() is unit length, and shared words score above unrelated ones", () => {
  const a = fakeEmbedding("The swarm routes chat requests to the fastest node", 64);
  const b = fakeEmbedding("which node should the swarm route chat to", 64);
  const c = fakeEmbedding("banana bread recipe with walnuts", 64);
  assert.deepEqual(a, fakeEmbedding("the SWARM routes chat requests to the fastest node", 64));
  assert.equal(a.length, 64);
  assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-9);
  assert.ok(cosine(a, b) > 0.4, `related: ${cosine(a, b)}`);
  assert.ok(cosine(a, b) > cosine(a, c) + 0.2, `unrelated: ${cosine(a, c)}`);
  assert.equal(fakeEmbedding("", 8).length, 8);
});

Deno.test("splitTokens() keeps the spaces, so the tokens join back to the text", () => {
  assert.deepEqual(splitTokens("Hello brave  new world "), ["Hello", " brave", "  new", " world "]);
  assert.deepEqual(splitTokens(""), []);
  assert.equal(splitTokens(REPLY).join(""), REPLY);
});

Deno.test("tokenDelayMs sends each token as its own chunk, in order", async () => {
  await using llm = await startFakeLlm({ tokenDelayMs: 25, firstTokenDelayMs: 10 });
  const res = await post(llm, "/api/chat", {
    model: "llama3.2:3b",
    messages: [{ role: "user", content: "one two three" }],
  });
  const { chunks, error } = await readChunks(res);
  assert.equal(error, undefined);
  const tokens = splitTokens(
    defaultReply([{ role: "user", content: "one two three" }], "llama3.2:3b"),
  );
  // Every token but the last waits alone for the next one; the last may share with the end line.
  assert.ok(chunks.length >= tokens.length, `${chunks.length} chunks`);
  const perChunk = chunks.slice(0, tokens.length - 1).map((c): Json[] => ndjson(c));
  assert.ok(perChunk.every((lines) => lines.length === 1));
  assert.deepEqual(perChunk.map((lines) => lines[0].message.content), tokens.slice(0, -1));
  assert.equal(ollamaContent(ndjson(chunks.join(""))), tokens.join(""));
});

Deno.test("close() cuts a stream in flight and returns; a second close() is a no-op", async () => {
  const llm = await startFakeLlm({ tokenDelayMs: 60_000 });
  const res = await post(llm, "/api/chat", { model: "llama3.2:3b", messages: MESSAGES });
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert.match(new TextDecoder().decode(first.value), /"done":false/);
  await llm.close();
  await assert.rejects(async () => {
    while (!(await reader.read()).done);
  });
  await llm.close();
});

Deno.test("requests are recorded with method, path, parsed body and headers", async () => {
  await using llm = await startFakeLlm();
  const res = await fetch(`${llm.url}/api/chat?x=1`, {
    method: "POST",
    headers: { authorization: "Bearer t", "content-type": "application/json" },
    body: JSON.stringify({ model: "gemma3:1b", messages: [], stream: false }),
  });
  await res.body?.cancel();
  const tags = await fetch(`${llm.url}/api/tags`);
  await tags.body?.cancel();
  assert.equal(llm.requests.length, 2);
  const [chat, list] = llm.requests;
  assert.equal(chat?.method, "POST");
  assert.equal(chat?.path, "/api/chat");
  assert.deepEqual(chat?.body, { model: "gemma3:1b", messages: [], stream: false });
  assert.equal(chat?.headers.authorization, "Bearer t");
  assert.equal(list?.method, "GET");
  assert.equal(list?.body, undefined);
});

const TASK = new URL("../tasks/fake_llm.ts", import.meta.url).href;

Deno.test("tasks/fake_llm.ts --port 0 prints its URL, serves, and exits on SIGTERM", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", "--allow-read", TASK, "--port", "0", "--models", "tiny:1b"],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { done, value } = await lines.read();
    if (done) break;
    out += value;
  }
  const match = out.match(/^fake-llm \(ollama\) listening on (http:\/\/127\.0\.0\.1:(\d+))\n/);
  assert.ok(match, `stdout: ${out}`);
  assert.notEqual(match[2], "0");
  const version = await (await fetch(`${match[1]}/api/version`)).json();
  assert.equal(typeof version.version, "string");
  const tags = await (await fetch(`${match[1]}/api/tags`)).json();
  assert.equal(tags.models[0].name, "tiny:1b");

  child.kill("SIGTERM");
  while (!(await lines.read()).done);
  const status = await child.status;
  assert.equal(status.code, 0, await stderr);
  assert.equal(await stderr, "");
});

Deno.test("tasks/fake_llm.ts rejects a bad flag with one line naming it and exit code 2", async () => {
  const cases = [
    [["--bogus"], "--bogus"],
    [["--port", "http"], "--port"],
    [["--model-delay", "gemma3:1b"], "--model-delay"],
    [["--model-delay", "gemma3:1b=soon"], "--model-delay"],
  ] as const;
  for (const [args, flag] of cases) {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", "--allow-read", TASK, ...args],
    }).output();
    const message = new TextDecoder().decode(stderr);
    assert.equal(code, 2);
    assert.equal(stdout.length, 0);
    assert.equal(message.trimEnd().split("\n").length, 1, message);
    assert.ok(message.includes(flag), message);
  }
});
