/**
 * A node as a drop-in Ollama and OpenAI server, driven by the official npm clients unchanged
 * (`ollama`, `openai`) with a client key: Home Assistant's Assist exchange (list → chat with
 * tools, keep_alive and options.num_ctx → tool call → tool result → final answer) in both
 * formats, through a real model and through `mycoswarm`; structured output, embeddings, show,
 * ps and pull; the forwarded bodies asserted field by field.
 */

import assert from "node:assert/strict";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { loadConfig } from "../lib/config/mod.ts";
import { type RunningNode, startNode } from "../lib/daemon/mod.ts";
import { createApiKey } from "../lib/node/mod.ts";
import { type FakeLlm, startFakeLlm } from "../testing/fake_llm.ts";
import { testDeps } from "../testing/deps.ts";

const LIGHTS = {
  type: "function" as const,
  function: {
    name: "HassTurnOn",
    description: "Turns on a light, switch or other device",
    parameters: {
      type: "object",
      properties: { name: { type: "string" }, area: { type: "string" } },
      required: ["name"],
    },
  },
};

async function setup() {
  const llm = await startFakeLlm();
  const home = await Deno.makeTempDir({ prefix: "mycoswarm-dropin-" });
  const config = await loadConfig({ env: { MYCOSWARM_HOME: home, OLLAMA_HOST: llm.url } });
  const deps = testDeps({ hostname: "gpu-box" });
  const node: RunningNode = await startNode(config, deps, {
    port: 0,
    bind: "127.0.0.1",
    serve: Deno.serve,
    mdns: false,
  });
  const { key } = await createApiKey(config.paths.apiKeysFile, "home-assistant");
  return {
    llm,
    node,
    key,
    ollama: new Ollama({ host: node.url, headers: { Authorization: `Bearer ${key}` } }),
    openai: new OpenAI({ baseURL: `${node.url}/v1`, apiKey: key, maxRetries: 0 }),
    home,
    async [Symbol.asyncDispose]() {
      await node.close();
      await llm.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

/** The bodies the model server got on `path`. */
function bodies(llm: FakeLlm, path: string): Record<string, unknown>[] {
  return llm.requests.filter((r) => r.path === path).map((r) => r.body as Record<string, unknown>);
}

for (const model of ["llama3.2:3b", "mycoswarm"]) {
  Deno.test(`Assist over Ollama's API (${model}): tools → tool call → tool result → answer`, async () => {
    await using t = await setup();
    const listed = await t.ollama.list();
    assert.ok(listed.models.some((m) => m.name === "mycoswarm"));
    assert.ok(listed.models.some((m) => m.name === "llama3.2:3b"));
    const messages = [
      { role: "system", content: "You are a voice assistant for Home Assistant." },
      { role: "user", content: "turn on the kitchen light" },
    ];
    const common = { model, tools: [LIGHTS], keep_alive: -1, options: { num_ctx: 8192 } };
    const stream = await t.ollama.chat({ ...common, messages, stream: true });
    const calls = [];
    let text = "";
    for await (const part of stream) {
      calls.push(...(part.message.tool_calls ?? []));
      text += part.message.content;
    }
    assert.equal(calls.length, 1, `a tool call, not text: ${text}`);
    assert.equal(calls[0]!.function.name, "HassTurnOn");
    assert.equal(typeof calls[0]!.function.arguments.name, "string");
    const sent = bodies(t.llm, "/api/chat").at(-1)!;
    assert.deepEqual(sent.tools, [LIGHTS]);
    assert.equal(sent.keep_alive, -1);
    assert.deepEqual(sent.options, { num_ctx: 8192 });
    if (model === "mycoswarm") {
      assert.equal(sent.model, "qwen2.5:14b", "the largest chat model with tools");
      const system = (sent.messages as { role: string; content: string }[])[0]!;
      assert.match(system.content, /Instructions from the application[^\n]*\nYou are a voice/);
    } else {
      assert.deepEqual(sent.messages, messages, "unchanged");
    }

    const done = await t.ollama.chat({
      ...common,
      messages: [
        ...messages,
        { role: "assistant", content: "", tool_calls: calls },
        { role: "tool", content: '{"success": true}', tool_name: "HassTurnOn" },
      ],
      stream: false,
    });
    assert.match(done.message.content, /^Done: \{"success": true\}/);
    assert.equal(done.done, true);
    assert.equal(typeof done.eval_count, "number");
  });

  Deno.test(`Assist over OpenAI's API (${model}): tools → tool call → tool result → answer`, async () => {
    await using t = await setup();
    const models = await t.openai.models.list();
    assert.ok(models.data.some((m) => m.id === "mycoswarm"));
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "system", content: "You are a voice assistant for Home Assistant." },
      { role: "user", content: "turn on the kitchen light" },
    ];
    const first = await t.openai.chat.completions.create({
      model,
      messages,
      tools: [LIGHTS],
      tool_choice: "auto",
      top_p: 0.9,
    });
    const call = first.choices[0]!.message.tool_calls?.[0];
    assert.ok(call && call.type === "function", "a tool call");
    assert.equal(call.function.name, "HassTurnOn");
    assert.equal(first.choices[0]!.finish_reason, "tool_calls");
    const sent = bodies(t.llm, "/v1/chat/completions").at(-1)!;
    assert.equal(sent.top_p, 0.9);
    assert.equal(sent.tool_choice, "auto");

    const streamed = await t.openai.chat.completions.create({
      model,
      messages: [
        ...messages,
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: "kitchen light is on" },
      ],
      tools: [LIGHTS],
      stream: true,
    });
    let text = "";
    for await (const chunk of streamed) text += chunk.choices[0]?.delta?.content ?? "";
    assert.match(text, /^Done: kitchen light is on/);
  });
}

Deno.test("structured output, embeddings, show, ps and pull through the node", async () => {
  await using t = await setup();
  const schema = {
    type: "object",
    properties: { room: { type: "string" }, on: { type: "boolean" } },
    required: ["room", "on"],
  };
  const structured = await t.ollama.chat({
    model: "llama3.2:3b",
    messages: [{ role: "user", content: "which light is on?" }],
    format: schema,
  });
  const parsed = JSON.parse(structured.message.content);
  assert.equal(typeof parsed.room, "string");
  assert.equal(typeof parsed.on, "boolean");
  assert.deepEqual(bodies(t.llm, "/api/chat").at(-1)!.format, schema);
  const viaOpenai = await t.openai.chat.completions.create({
    model: "llama3.2:3b",
    messages: [{ role: "user", content: "which light is on?" }],
    response_format: { type: "json_schema", json_schema: { name: "light", schema } },
  });
  assert.equal(typeof JSON.parse(viaOpenai.choices[0]!.message.content!).on, "boolean");

  const embedded = await t.ollama.embed({ model: "nomic-embed-text", input: ["a", "b"] });
  assert.equal(embedded.embeddings.length, 2);
  const openaiEmbedded = await t.openai.embeddings.create({
    model: "nomic-embed-text",
    input: "a",
  });
  assert.ok(openaiEmbedded.data[0]!.embedding.length > 0);

  const shown = await t.ollama.show({ model: "llama3.2:3b" });
  assert.ok(shown.capabilities.includes("tools"));
  const mycoswarm = await t.ollama.show({ model: "mycoswarm" });
  assert.ok(mycoswarm.capabilities.includes("completion"));

  await t.ollama.chat({ model: "llama3.2:3b", messages: [{ role: "user", content: "hi" }] });
  const ps = await t.ollama.ps();
  assert.ok(ps.models.some((m) => m.name.startsWith("llama3.2:3b")));

  const progress: string[] = [];
  for await (const p of await t.ollama.pull({ model: "phi4-mini", stream: true })) {
    progress.push(p.status);
  }
  assert.equal(progress.at(-1), "success");
  assert.equal(bodies(t.llm, "/api/pull").length, 1);

  const unknown = await t.ollama.chat({
    model: "llama9:70b",
    messages: [{ role: "user", content: "hi" }],
  }).then(() => null, (e: Error) => e);
  assert.match(
    String(unknown?.message),
    /llama9:70b' is on no node of the swarm; it has: mycoswarm/,
  );
});

Deno.test("a tool call for a model without the tools capability fails naming the model", async () => {
  await using t = await setup();
  const refused = await t.ollama.chat({
    model: "gemma3:1b",
    messages: [{ role: "user", content: "turn on the kitchen light" }],
    tools: [LIGHTS],
  }).then(() => null, (e: Error & { status_code?: number }) => e);
  assert.equal(refused?.status_code, 400);
  assert.match(String(refused?.message), /gemma3:1b/);
  assert.match(String(refused?.message), /tools/);
});

Deno.test("mycoswarm on /api/generate: the prompt through the pipeline, in generate's shape", async () => {
  await using t = await setup();
  const answer = await t.ollama.generate({
    model: "mycoswarm",
    system: "Answer in one line.",
    prompt: "what is the kitchen light's brightness right now",
  });
  assert.equal(answer.done, true);
  assert.match(answer.response ?? "", /kitchen light/);
  const sent = bodies(t.llm, "/api/generate").at(-1)!;
  assert.equal(sent.model, "qwen2.5:14b");
  assert.equal(sent.prompt, "what is the kitchen light's brightness right now");
  assert.match(
    String(sent.system),
    /Instructions from the application[^\n]*\nAnswer in one line\./,
  );
});

Deno.test("a client's hop header is not a peer's: placement, checks and refusals still apply", async () => {
  await using t = await setup();
  const post = (path: string, body: unknown) =>
    fetch(`${t.node.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.key}`, "X-Mycoswarm-Hop": "1" },
      body: JSON.stringify(body),
    });
  const unknown = await post("/api/chat", {
    model: "llama9:70b",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(unknown.status, 404);
  assert.match(
    (await unknown.json()).error,
    /is on no node of the swarm/,
    "placed, not served here",
  );
  const insecure = await post("/api/pull", { model: "phi4-mini", insecure: true });
  assert.equal(insecure.status, 400);
  assert.match((await insecure.json()).error, /insecure pulls are refused/);
  const long = await post("/api/show", { model: "x".repeat(300) });
  assert.equal(long.status, 400);
  await long.body?.cancel();
  assert.equal(bodies(t.llm, "/api/pull").length, 0);
});
