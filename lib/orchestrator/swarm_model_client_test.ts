import assert from "node:assert/strict";
import { createError, isMycoError } from "../core/mod.ts";
import { testClientSettings } from "../../testing/model_client.ts";
import { ManualTime } from "../../testing/time.ts";
import { NodeHttpError } from "./node_client.ts";
import type { RunTask, RunTaskOptions } from "./run_task.ts";
import { SwarmModelClient } from "./swarm_model_client.ts";

const MODELS = [{ name: "qwen2.5:14b", size_bytes: 9e9 }, { name: "gemma3:1b" }, {
  name: "nomic-embed-text",
}];

function client(runTask: RunTask, options: { chatModel?: string; reads?: number[] } = {}) {
  const time = new ManualTime();
  const swarm = new SwarmModelClient(
    testClientSettings("http://127.0.0.1:9", { chatModel: options.chatModel ?? null }),
    fetch,
    {
      runTask,
      models: () => {
        options.reads?.push(time.now());
        return Promise.resolve(MODELS);
      },
      clock: time,
      via: "the daemon on http://127.0.0.1:7890",
    },
  );
  return { swarm, time };
}

Deno.test("SwarmModelClient.chat() streams an inference task's tokens and reads its result", async () => {
  let seen: { payload: unknown; options: RunTaskOptions } | null = null;
  const { swarm } = client((_type, payload, options = {}) => {
    seen = { payload, options };
    options.onToken?.("Hel");
    options.onToken?.("lo");
    options.onNode?.("myco-00000000000b");
    return Promise.resolve({
      response: "Hello",
      model: "qwen2.5:14b",
      eval_count: 2,
      prompt_eval_count: 9,
    });
  });
  const pieces: string[] = [];
  const answer = await swarm.chat({
    model: "qwen2.5:14b",
    messages: [{ role: "user", content: "hi" }],
    instructions: "be brief",
    onText: (t) => pieces.push(t),
  });
  assert.deepEqual(answer, {
    text: "Hello",
    model: "qwen2.5:14b",
    usage: { inputTokens: 9, outputTokens: 2 },
    aborted: false,
  });
  assert.deepEqual(pieces, ["Hel", "lo"]);
  assert.equal(swarm.lastNode, "myco-00000000000b");
  assert.deepEqual(seen!.payload, {
    model: "qwen2.5:14b",
    messages: [{ role: "user", content: "hi" }],
    system: "be brief",
    temperature: 0.7,
  });
  assert.equal(seen!.options.failureCode, "model_failed");
  assert.equal(seen!.options.timeoutSeconds, 3600);
});

Deno.test("SwarmModelClient.chatModel() picks among the swarm's models, read again after the TTL", async () => {
  const reads: number[] = [];
  const { swarm, time } = client(() => Promise.resolve(null), { reads });
  assert.equal(await swarm.chatModel(), "qwen2.5:14b");
  assert.equal(await swarm.chatModel("gemma3:1b"), "gemma3:1b");
  assert.equal(reads.length, 1, "the list is reused");
  time.advance(30_000);
  await swarm.chatModel();
  assert.equal(reads.length, 2);
  await assert.rejects(() => swarm.chatModel("llama9"), /'llama9' is on no node of the swarm/);
  await assert.rejects(
    () => swarm.chatModel("nomic-embed-text"),
    /embedding model and cannot chat/,
  );
});

Deno.test("SwarmModelClient.chat(): failures become model errors; an abort keeps the partial text", async () => {
  const messages = [{ role: "user" as const, content: "hi" }];
  const refused = client(() =>
    Promise.reject(new NodeHttpError(503, "swarm_unavailable", "no node"))
  );
  await assert.rejects(
    () => refused.swarm.chat({ model: "m", messages }),
    (e: unknown) => isMycoError(e, "swarm_unavailable") && e.message === "no node",
  );
  const dropped = client((_t, _p, options = {}) => {
    options.onToken?.("par");
    return Promise.reject(new TypeError("connection reset"));
  });
  await assert.rejects(
    () => dropped.swarm.chat({ model: "m", messages }),
    /The connection to the daemon on http:\/\/127\.0\.0\.1:7890 dropped mid-answer/,
  );
  const failed = client(() => Promise.reject(createError("model_failed", "inference on x: boom")));
  await assert.rejects(() => failed.swarm.chat({ model: "m", messages }), /inference on x: boom/);
  const controller = new AbortController();
  const stopped = client((_t, _p, options = {}) => {
    options.onToken?.("part");
    controller.abort();
    return Promise.reject(new DOMException("aborted", "AbortError"));
  });
  const answer = await stopped.swarm.chat({ model: "m", messages, signal: controller.signal });
  assert.deepEqual([answer.text, answer.aborted], ["part", true]);
});
