/**
 * The chat routes under load: a full swarm is a 503 with Retry-After in the route's own
 * format (as `POST /task` answers), a session with too many requests waiting a 429 with it;
 * a peer passing on a client's large request is not refused for its size.
 */

import assert from "node:assert/strict";
import { createError } from "../core/mod.ts";
import { type ChatService, SessionBusyError } from "../chat/mod.ts";
import { HOP_HEADER } from "../orchestrator/mod.ts";
import { testApi, TOKEN } from "../../testing/test_api.ts";

/** A chat service whose answers fail with `error`. */
function failingChat(error: Error): ChatService {
  return {
    chatModel: () => Promise.resolve("llama3.2:3b"),
    answer: () => Promise.reject(error),
    endSession: () => Promise.reject(new Error("unused")),
    sessions: () => [],
  };
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://node${path}`, {
    method: "POST",
    headers: { "X-Swarm-Token": TOKEN, "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const CHAT = { messages: [{ role: "user", content: "hi" }] };
const FULL = createError("swarm_unavailable", "No node can take the inference now: queue full");

for (const stream of [false, true]) {
  Deno.test(`chat routes: a full swarm is 503 with Retry-After, in each format (stream: ${stream})`, async () => {
    await using api = testApi({ api: { chat: () => failingChat(FULL) } });
    const openai = await api.app.request(
      post("/v1/chat/completions", { ...CHAT, model: "mycoswarm", stream }),
    );
    assert.equal(openai.status, 503);
    assert.equal(openai.headers.get("Retry-After"), "5");
    assert.equal((await openai.json()).error.code, "swarm_unavailable");

    const ollama = await api.app.request(
      post("/api/chat", { ...CHAT, model: "mycoswarm", stream }),
    );
    assert.equal(ollama.status, 503);
    assert.equal(ollama.headers.get("Retry-After"), "5");
    assert.match((await ollama.json()).error, /queue full/);
  });
}

Deno.test("chat routes: a session with too many requests waiting is 429 with Retry-After", async () => {
  const busy = new SessionBusyError("kitchen", 4);
  await using api = testApi({ api: { chat: () => failingChat(busy), retryAfterSeconds: 3 } });
  const headers = { "X-Mycoswarm-Session": "kitchen" };
  const openai = await api.app.request(post("/v1/chat/completions", CHAT, headers));
  assert.equal(openai.status, 429);
  assert.equal(openai.headers.get("Retry-After"), "3");
  assert.equal((await openai.json()).error.code, "session_busy");
  const ollama = await api.app.request(post("/api/chat", { ...CHAT, stream: false }, headers));
  assert.equal(ollama.status, 429);
  assert.equal(ollama.headers.get("Retry-After"), "3");
  assert.match((await ollama.json()).error, /4 requests waiting/);
});

Deno.test("POST /task takes a peer's task built from a client body near the client routes' limit", async () => {
  await using api = testApi();
  const prompt = "w".repeat(3 * 1024 * 1024);
  const body = { task_type: "ping", payload: { prompt } };
  const fromPeer = await api.app.request(post("/task", body, { [HOP_HEADER]: "1" }));
  assert.equal(fromPeer.status, 202);
  // A client of the node API itself still has its 1 MiB.
  const fromClient = await api.app.request(post("/task", body));
  assert.equal(fromClient.status, 413);
  // Past twice the client routes' limit, a hop is refused with 413 too, never a 502.
  await using small = testApi({ api: { maxClientBodyBytes: 1024 * 1024 } });
  const over = await small.app.request(post("/task", body, { [HOP_HEADER]: "1" }));
  assert.equal(over.status, 413);
  assert.equal((await over.json()).error.code, "payload_too_large");
});
