import assert from "node:assert/strict";
import { systemClock } from "../core/mod.ts";
import { createHandlers } from "../orchestrator/mod.ts";
import { startFakeLlm } from "../../testing/fake_llm.ts";
import { testClient } from "../../testing/model_client.ts";
import type { TaskHandler } from "../orchestrator/mod.ts";
import { send, testApi } from "../../testing/test_api.ts";

/** The `data:` payloads of an SSE body, parsed. */
async function events(res: Response): Promise<Record<string, unknown>[]> {
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const text = await res.text();
  return text.split("\n\n").filter((block) => block.trim() !== "").map((block) => {
    assert.match(block, /^data: /);
    return JSON.parse(block.slice("data: ".length));
  });
}

function llmApi(url: string) {
  const handlers = createHandlers({ client: testClient(url), fetch, clock: systemClock });
  return testApi({ queue: { handlers, clock: systemClock }, api: { clock: systemClock } });
}

async function submit(api: ReturnType<typeof testApi>, body: Record<string, unknown>) {
  const res = await send(api.app, "/task", { body });
  assert.equal(res.status, 202);
  return (await res.json()).task_id as string;
}

Deno.test("GET /task/:id/stream streams an inference's tokens, then speed and model", async () => {
  await using llm = await startFakeLlm({ tokenDelayMs: 5 });
  await using api = llmApi(llm.url);
  const id = await submit(api, {
    task_type: "inference",
    payload: { model: "llama3.2:3b", prompt: "stream me" },
  });
  const all = await events(await send(api.app, `/task/${id}/stream`));
  const tokens = all.slice(0, -1);
  const last = all.at(-1)!;
  assert.ok(tokens.length >= 5, `only ${tokens.length} token events`);
  assert.ok(tokens.every((e) => e.done === false && typeof e.token === "string"));
  const text = tokens.map((e) => e.token).join("");
  assert.equal(text, "You said: stream me. (model llama3.2:3b, 1 messages)");
  assert.equal(last.done, true);
  assert.equal(last.model, "llama3.2:3b");
  assert.equal(last.node_id, "myco-aaaaaaaaaaaa");
  assert.equal(typeof last.tokens_per_second, "number");
  assert.ok((last.tokens_per_second as number) > 0);
  assert.equal(typeof last.duration_seconds, "number");
  const task = await (await send(api.app, `/task/${id}`)).json();
  assert.equal(task.status, "completed");
  assert.equal(task.result.response, text);
});

Deno.test("GET /task/:id/stream replays a finished inference as one event", async () => {
  await using llm = await startFakeLlm();
  await using api = llmApi(llm.url);
  const id = await submit(api, { task_type: "inference", payload: { prompt: "again" } });
  const first = await events(await send(api.app, `/task/${id}/stream`));
  assert.equal(first.at(-1)!.done, true);
  const replay = await events(await send(api.app, `/task/${id}/stream`));
  assert.equal(replay.length, 1);
  assert.equal(replay[0]!.token, "You said: again. (model qwen2.5:14b, 1 messages)");
  assert.equal(replay[0]!.done, true);
  assert.equal(replay[0]!.model, "qwen2.5:14b");
});

Deno.test("GET /task/:id/stream ends with {error, done} when the task fails", async () => {
  await using llm = await startFakeLlm();
  await using api = llmApi(llm.url);
  const id = await submit(api, {
    task_type: "inference",
    payload: { model: "llama9:70b", prompt: "hi" },
  });
  const [event] = await events(await send(api.app, `/task/${id}/stream`));
  assert.equal(event!.done, true);
  assert.match(String(event!.error), /Model 'llama9:70b' is not installed/);
  assert.match(String(event!.error), /Installed: gemma3:1b, llama3\.2:3b, qwen2\.5:14b/);
});

Deno.test("GET /task/:id/stream of a ping gives its result; unknown id is 404", async () => {
  await using api = testApi();
  const id = await submit(api, { task_type: "ping", payload: { n: 1 } });
  const [event] = await events(await send(api.app, `/task/${id}/stream`));
  assert.deepEqual(event!.result, { echo: { n: 1 }, message: "pong" });
  assert.equal(event!.done, true);
  const missing = await send(api.app, "/task/nope/stream");
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, "not_found");
});

Deno.test("a stream ends when the queue closes mid-inference", async () => {
  await using llm = await startFakeLlm({ tokenDelayMs: 50 });
  await using api = llmApi(llm.url);
  const id = await submit(api, { task_type: "inference", payload: { prompt: "long one" } });
  const res = await send(api.app, `/task/${id}/stream`);
  setTimeout(() => api.queue.close(), 120);
  const all = await events(res);
  const last = all.at(-1)!;
  assert.equal(last.done, true);
  assert.match(String(last.error), /shut down during the task/);
  assert.equal(last.retryable, true, "another node may run it");
});

Deno.test("GET /task/:id/stream?include=result ends an inference with its whole result", async () => {
  await using llm = await startFakeLlm();
  await using api = llmApi(llm.url);
  const id = await submit(api, { task_type: "inference", payload: { prompt: "all of it" } });
  const all = await events(await send(api.app, `/task/${id}/stream?include=result`));
  const last = all.at(-1)!;
  const result = last.result as Record<string, unknown>;
  assert.equal(result.response, "You said: all of it. (model qwen2.5:14b, 1 messages)");
  assert.equal(result.model, "qwen2.5:14b");
  assert.equal(last.retryable, undefined);
  const plain = await events(await send(api.app, `/task/${id}/stream`));
  assert.equal(plain.at(-1)!.result, undefined, "not without asking");
});

Deno.test("a burst of tokens (one network read's worth) leaves as few events, text intact", async () => {
  const gate = Promise.withResolvers<void>();
  const words = Array.from({ length: 200 }, (_, i) => ` w${i}`);
  const burst: TaskHandler = {
    async run(_payload, ctx) {
      await gate.promise;
      // As a model client parsing one read: a token per microtask, no I/O between them.
      for (const word of words) {
        ctx.emit(word);
        await Promise.resolve();
      }
      return { response: words.join("") };
    },
  };
  await using api = testApi({ queue: { handlers: { inference: burst } } });
  const id = await submit(api, { task_type: "inference", payload: {} });
  const streaming = send(api.app, `/task/${id}/stream`);
  setTimeout(gate.resolve, 20);
  const all = await events(await streaming);
  const tokens = all.filter((e) => e.done === false);
  assert.equal(tokens.map((e) => e.token).join(""), words.join(""));
  assert.ok(tokens.length <= 5, `${tokens.length} events for one burst of 200 tokens`);
  assert.equal(all.at(-1)!.done, true);
});

Deno.test("GET /task/:id/stream?include=result never replays a summarized result as the whole", async () => {
  const response = "z".repeat(50_000);
  const quick: TaskHandler = {
    run: () => Promise.resolve({ response, model: "m", tokens_per_second: 1 }),
  };
  await using api = testApi({
    queue: { handlers: { inference: quick }, clock: systemClock, keepFullMs: 0 },
    api: { clock: systemClock },
  });
  const id = await submit(api, { task_type: "inference", payload: { prompt: "big" } });
  for (let i = 0; i < 50 && api.queue.stats().completed === 0; i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const [last] = await events(await send(api.app, `/task/${id}/stream?include=result`));
  assert.equal(last!.done, true);
  assert.equal(last!.retryable, true);
  assert.match(String(last!.error), /no longer kept whole/);
  const task = await (await send(api.app, `/task/${id}`)).json();
  assert.equal(task.result.summarized, true);
  assert.equal(task.result.model, "m");
});
