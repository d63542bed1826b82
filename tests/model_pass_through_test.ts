/**
 * The drop-in routes' pass-through, on real nodes in process (startNode, loopback, mDNS
 * off): a request naming a model goes unchanged to the node that has it — this node's model
 * server, or a peer's through its node API — and its answer comes back unchanged.
 */

import assert from "node:assert/strict";
import { loadConfig } from "../lib/config/mod.ts";
import { type RunningNode, startNode } from "../lib/daemon/mod.ts";
import { type FakeLlm, startFakeLlm } from "../testing/fake_llm.ts";
import { testDeps } from "../testing/deps.ts";

const deps = (hostname: string) => testDeps({ hostname });

/** A node on loopback: its home, its model server (if any), its peers. */
async function node(
  name: string,
  options: { llm: FakeLlm | null; token?: string; peers?: string[] },
): Promise<RunningNode & { home: string }> {
  const home = await Deno.makeTempDir({ prefix: `mycoswarm-${name}-` });
  if (options.token) {
    await Deno.writeTextFile(`${home}/swarm-token`, `${options.token}\n`, { mode: 0o600 });
  }
  const env: Record<string, string> = {
    MYCOSWARM_HOME: home,
    OLLAMA_HOST: options.llm?.url ?? "127.0.0.1:9",
    MYCOSWARM_PEERS: (options.peers ?? []).join(","),
  };
  const config = await loadConfig({ env });
  const running = await startNode(config, deps(name), {
    port: 0,
    bind: "127.0.0.1",
    serve: Deno.serve,
    mdns: false,
  });
  const stop = running.close;
  return Object.assign(running, {
    home,
    close: async () => {
      await stop();
      await Deno.remove(home, { recursive: true });
    },
  });
}

function post(n: RunningNode, path: string, body: unknown, extra: Record<string, string> = {}) {
  return fetch(`${n.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${n.token.value}`, ...extra },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Waits (bounded) until `n` lists `model` among the swarm's models. */
async function untilListed(n: RunningNode, model: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const tags = await (await fetch(`${n.url}/api/tags`, {
      headers: { authorization: `Bearer ${n.token.value}` },
    })).json() as { models: { name: string }[] };
    if (tags.models.some((m) => m.name === model)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${model} never listed`);
}

const TOOLS = [{
  type: "function",
  function: {
    name: "HassTurnOn",
    description: "Turns on a device",
    parameters: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
  },
}];

Deno.test("pass-through: a real model's request reaches this node's server unchanged, and its answer comes back unchanged", async () => {
  await using llm = await startFakeLlm();
  const a = await node("solo", { llm });
  try {
    const body = {
      model: "llama3.2:3b",
      messages: [
        { role: "system", content: "You are a voice assistant." },
        { role: "user", content: "turn on the kitchen lights" },
      ],
      stream: false,
      tools: TOOLS,
      keep_alive: -1,
      options: { num_ctx: 8192, temperature: 0.2, seed: 7 },
      format: "json",
      think: false,
      an_unknown_field: { kept: true },
    };
    const res = await post(a, "/api/chat", body);
    assert.equal(res.status, 200);
    const answer = await res.json();
    assert.equal(answer.done, true);
    assert.equal(answer.model, "llama3.2:3b");
    assert.equal("mycoswarm" in answer, false, "nothing added");
    const seen = llm.requests.filter((r) => r.path === "/api/chat");
    assert.equal(seen.length, 1, "one model call: no gate, no reflection, no embedding");
    assert.deepEqual(seen[0]!.body, body, "every field forwarded as sent");
    assert.equal(llm.requests.some((r) => r.path.includes("embed")), false);

    // Streamed: the server's NDJSON, line for line.
    const stream = await post(a, "/api/chat", { ...body, stream: true, format: undefined });
    assert.match(stream.headers.get("content-type") ?? "", /ndjson/);
    const lines = (await stream.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).done, true);
    assert.equal(typeof lines.at(-1).eval_count, "number");

    // OpenAI's wire format, to the same server's /v1.
    const openai = await post(a, "/v1/chat/completions", {
      model: "llama3.2:3b",
      messages: [{ role: "user", content: "hello there" }],
      seed: 3,
      top_p: 0.9,
    });
    assert.equal(openai.status, 200);
    assert.equal((await openai.json()).object, "chat.completion");
    assert.deepEqual(llm.requests.at(-1)!.body, {
      model: "llama3.2:3b",
      messages: [{ role: "user", content: "hello there" }],
      seed: 3,
      top_p: 0.9,
    });
    assert.equal(llm.requests.at(-1)!.path, "/v1/chat/completions");

    // Embeddings and an unknown model.
    const embed = await post(a, "/api/embed", { model: "nomic-embed-text", input: ["a", "b"] });
    assert.equal(embed.status, 200);
    assert.equal((await embed.json()).embeddings.length, 2);
    const missing = await post(a, "/api/chat", { model: "llama9:70b", messages: [] });
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).error, /^model 'llama9:70b' is on no node of the swarm/);
    const missingOpenai = await post(a, "/v1/embeddings", { model: "nope", input: "x" });
    assert.equal(missingOpenai.status, 404);
    assert.equal((await missingOpenai.json()).error.field, "model");
    const noModel = await post(a, "/api/generate", { prompt: "hi" });
    assert.deepEqual([noModel.status, (await noModel.json()).error], [
      400,
      "model is required: a model name of the swarm, or mycoswarm",
    ]);
  } finally {
    await a.close();
  }
});

Deno.test("pass-through: a node without the model sends the request to the peer that has it", async () => {
  await using llm = await startFakeLlm();
  const b = await node("gpu-box", { llm });
  const a = await node("pi", { llm: null, token: b.token.value, peers: [new URL(b.url).host] });
  try {
    await untilListed(a, "qwen2.5:14b");
    const res = await post(a, "/api/chat", {
      model: "qwen2.5:14b",
      messages: [{ role: "user", content: "hello from the pi" }],
      stream: true,
    });
    assert.equal(res.status, 200);
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).done, true);
    assert.match(lines.slice(0, -1).map((l) => l.message.content).join(""), /hello from the pi/);
    const seen = llm.requests.filter((r) => r.path === "/api/chat");
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]!.body, {
      model: "qwen2.5:14b",
      messages: [{ role: "user", content: "hello from the pi" }],
      stream: true,
    });
    // The pi's /api/ps lists what the gpu box has loaded; its /v1/models lists the swarm.
    const models = await (await fetch(`${a.url}/v1/models`, {
      headers: { authorization: `Bearer ${a.token.value}` },
    })).json();
    assert.ok(
      models.data.some((m: { id: string; owned_by: string }) =>
        m.id === "qwen2.5:14b" && m.owned_by === "gpu-box"
      ),
    );
    const one = await (await fetch(`${a.url}/v1/models/qwen2.5:14b`, {
      headers: { authorization: `Bearer ${a.token.value}` },
    })).json();
    assert.deepEqual([one.id, one.object], ["qwen2.5:14b", "model"]);
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("pass-through: a node that dies mid-stream ends the client's stream with an error line", async () => {
  await using llm = await startFakeLlm();
  const a = await node("solo", { llm });
  try {
    llm.options.dropAfterTokens = 2;
    const res = await post(a, "/api/chat", {
      model: "llama3.2:3b",
      messages: [{ role: "user", content: "tell me a long story about the garden please" }],
    });
    assert.equal(res.status, 200);
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.match(lines.at(-1).error, /vanished mid-answer/);
    assert.ok(lines.length >= 2, "the partial answer came first");
  } finally {
    await a.close();
  }
});

Deno.test("mycoswarm with tools: the pipeline's prompt goes in front, the client's request passes through, the session keeps the words", async () => {
  await using llm = await startFakeLlm();
  const a = await node("solo", { llm });
  try {
    const request = {
      model: "mycoswarm",
      messages: [
        { role: "system", content: "You control the home. Call the intent tools." },
        { role: "user", content: "turn on the kitchen lights" },
      ],
      tools: TOOLS,
      keep_alive: "5m",
      options: { num_ctx: 8192 },
      stream: true,
    };
    const res = await post(a, "/api/chat", request, { "X-Mycoswarm-Session": "assist" });
    assert.equal(res.status, 200);
    const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.at(-1).done, true);
    const answer = lines.map((l) => l.message?.content ?? "").join("");
    const calls = lines.flatMap((l) => l.message?.tool_calls ?? []);
    assert.equal(
      calls[0]?.function?.name,
      "HassTurnOn",
      "the model's tool call reaches the client",
    );
    assert.equal(answer, "", "a tool call, no text");
    const forwarded = llm.requests.filter((r) => r.path === "/api/chat").at(-1)!.body as {
      model: string;
      messages: { role: string; content: string }[];
      tools: unknown;
      keep_alive: unknown;
      options: unknown;
    };
    assert.equal(forwarded.model, "qwen2.5:14b", "the largest chat model answers");
    assert.deepEqual(forwarded.tools, TOOLS);
    assert.equal(forwarded.keep_alive, "5m");
    assert.deepEqual(forwarded.options, { num_ctx: 8192 });
    assert.equal(forwarded.messages[0]!.role, "system");
    assert.match(
      forwarded.messages[0]!.content,
      /## Instructions from the application[^\n]*\nYou control the home/,
    );
    assert.deepEqual(forwarded.messages.slice(1), [request.messages[1]]);

    // The tool's result comes back: the model's next answer is kept with the session.
    const next = await post(a, "/api/chat", {
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content: answer, tool_calls: calls },
        { role: "tool", content: "kitchen lights are on", tool_name: "HassTurnOn" },
      ],
    }, { "X-Mycoswarm-Session": "assist" });
    assert.equal(next.status, 200);
    await next.text();
    const again = llm.requests.filter((r) => r.path === "/api/chat").at(-1)!.body as {
      messages: { role: string }[];
    };
    assert.deepEqual(again.messages.map((m) => m.role), ["system", "user", "assistant", "tool"]);
    // One conversation, continued: the user's words and the model's, not the tool call's
    // empty text. (The session is saved once the answer has passed: a moment after the
    // client has it.)
    const file = `${a.home}/sessions/api-assist.json`;
    let saved = JSON.parse(await Deno.readTextFile(file));
    for (let i = 0; i < 100 && saved.messages.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
      saved = JSON.parse(await Deno.readTextFile(file));
    }
    assert.deepEqual(saved.messages.map((m: { role: string }) => m.role), ["user", "assistant"]);
    assert.match(saved.messages[1].content, /^Done: kitchen lights are on/);
    const files = [...Deno.readDirSync(`${a.home}/sessions`)].map((e) => e.name);
    assert.deepEqual(files, ["api-assist.json"], "not split into two conversations");
  } finally {
    await a.close();
  }
});
