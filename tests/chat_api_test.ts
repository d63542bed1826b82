/**
 * The daemon's OpenAI-compatible chat API end to end: a real daemon (`main.ts daemon`), the
 * test model server, and requests as a home-automation client sends them. Conversations go
 * through the whole pipeline, are saved, and are reflected on when closed — or when the
 * daemon stops — and a later conversation recalls them.
 */

import assert from "node:assert/strict";
import { defaultReply, type FakeMessage, startFakeLlm } from "../testing/fake_llm.ts";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startDaemon } from "./support/run_daemon.ts";

const SUMMARY = "We discussed the NAS backup plan and the Backblaze schedule.";

/** The gate says "look in the documents"; reflections get a JSON reflection; the rest an echo. */
function reply(messages: FakeMessage[], model: string): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  if (system.includes("ONLY a JSON object") && system.includes("scope")) {
    return '{"tool": "rag", "mode": "chat", "scope": "all"}';
  }
  if (system.includes("You review a finished conversation")) {
    return JSON.stringify({
      summary: SUMMARY,
      decisions: ["Run the backup nightly"],
      lessons: [],
      surprises: [],
      tone: "resolution",
    });
  }
  return defaultReply(messages, model);
}

/** The system prompts the model server received for answers (not gate or reflection). */
function answerPrompts(fake: { requests: { path: string; body: unknown }[] }): string[] {
  return fake.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => (r.body as { messages: FakeMessage[] }).messages)
    .map((m) => m.find((x) => x.role === "system")?.content ?? "")
    .filter((s) => s.includes("## Instructions from the application") || s.includes("[S1]"));
}

async function setup() {
  const fake = await startFakeLlm({ reply });
  const dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await Deno.writeTextFile(
    `${dir.home}/nas.md`,
    "# NAS backup\n\nThe NAS backup runs nightly to Backblaze at 02:00.\n",
  );
  await runMain(["library", "ingest", `${dir.home}/nas.md`], { env });
  const daemon = await startDaemon(env);
  const token = (await Deno.readTextFile(`${dir.home}/swarm-token`)).trim();
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${daemon.url}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return {
    fake,
    env,
    daemon,
    post,
    home: dir.home,
    async [Symbol.asyncDispose]() {
      await daemon.stop("SIGTERM");
      await fake.close();
      await dir[Symbol.asyncDispose]();
    },
  };
}

Deno.test("chat API: a session is answered with memory, saved, reflected on close, recalled later", async () => {
  await using t = await setup();
  const system = { role: "system", content: "You are the house assistant. Be brief." };
  const first = { role: "user", content: "How is the NAS backup to Backblaze scheduled?" };
  const res = await t.post("/v1/chat/completions", { messages: [system, first] }, {
    "X-Mycoswarm-Session": "kitchen",
  });
  assert.equal(res.status, 200);
  const answer = await res.json();
  assert.equal(answer.object, "chat.completion");
  assert.match(answer.id, /^chatcmpl-/);
  assert.equal(answer.model, "qwen2.5:14b");
  assert.equal(answer.choices[0].finish_reason, "stop");
  assert.ok(answer.usage.prompt_tokens > 0 && answer.usage.completion_tokens > 0);
  assert.equal(
    answer.usage.total_tokens,
    answer.usage.prompt_tokens + answer.usage.completion_tokens,
  );
  assert.equal(answer.choices[0].message.role, "assistant");
  assert.match(answer.choices[0].message.content, /^You said: How is the NAS backup/);
  assert.equal(answer.mycoswarm.session, "kitchen");
  assert.ok(
    answer.mycoswarm.sources.some((s: { label: string }) => s.label === "[D1]"),
    "the document was found",
  );
  const prompt = answerPrompts(t.fake).at(-1)!;
  assert.match(prompt, /\[D1\].*nas\.md/);
  assert.match(prompt, /## Instructions from the application[^\n]*\nYou are the house assistant/);

  // The client sends the whole conversation again, as OpenAI clients do.
  const said = answer.choices[0].message.content;
  const second = { role: "user", content: "I decided to run the backup nightly." };
  const again = await t.post("/v1/chat/completions", {
    session: "kitchen",
    messages: [system, first, { role: "assistant", content: said }, second],
  });
  assert.equal(again.status, 200);
  await again.json();
  const saved = JSON.parse(await Deno.readTextFile(`${t.home}/sessions/api-kitchen.json`));
  assert.deepEqual(
    saved.messages.map((m: { role: string }) => m.role),
    ["user", "assistant", "user", "assistant"],
  );
  const open = await (await fetch(`${t.daemon.url}/v1/sessions`, {
    headers: { "X-Swarm-Token": (await Deno.readTextFile(`${t.home}/swarm-token`)).trim() },
  })).json();
  assert.deepEqual(open.sessions.map((s: { session: string }) => s.session), ["kitchen"]);

  const closed = await (await t.post("/v1/sessions/kitchen/close", {})).json();
  assert.equal(closed.reflected, true);
  assert.equal(closed.summary, SUMMARY);
  assert.equal(closed.tone, "resolution");
  assert.equal(typeof closed.grounding, "number");
  const gone = await t.post("/v1/sessions/kitchen/close", {});
  assert.equal(gone.status, 404);
  assert.equal((await gone.json()).error.code, "not_found");

  // A new conversation finds it by its words: the daemon's session index (open since the
  // first request) caught up with the reflection written since.
  const question = "Tell me again about the Backblaze schedule for the NAS.";
  const recall = await t.post("/v1/chat/completions", {
    messages: [{ role: "user", content: question }],
  }, { "X-Mycoswarm-Session": "hall" });
  assert.equal(recall.status, 200);
  const recalled = await recall.json();
  assert.deepEqual(recalled.mycoswarm.intent, { tool: "rag", mode: "chat", scope: "all" });
  const today = new Date().toISOString().slice(0, 10);
  const system2 = t.fake.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => (r.body as { messages: FakeMessage[] }).messages)
    .filter((m) => m.at(-1)?.content === question)
    .map((m) => m.find((x) => x.role === "system")?.content ?? "")
    .at(-1)!;
  assert.match(
    system2,
    new RegExp(`\\[S1\\] On ${today} we discussed \\(resolution\\): ${SUMMARY}`),
  );
});

Deno.test("chat API: streams OpenAI chunks, then [DONE]; errors before the answer are statuses", async () => {
  await using t = await setup();
  const res = await t.post("/v1/chat/completions", {
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: "user", content: [{ type: "text", text: "Stream a short answer please" }] }],
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const events = (await res.text()).split("\n\n").filter((b) => b.startsWith("data: "))
    .map((b) => b.slice(6));
  assert.equal(events.at(-1), "[DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  assert.ok(chunks.every((c) => c.object === "chat.completion.chunk"));
  assert.deepEqual(chunks[0].choices[0].delta, { role: "assistant", content: "" });
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");
  assert.match(text, /^You said: Stream a short answer please\./);
  const stop = chunks.find((c) => c.choices[0]?.finish_reason === "stop");
  assert.ok(stop, "a chunk with finish_reason stop");
  assert.equal(stop.mycoswarm.session, null);
  assert.equal(chunks.at(-1).choices.length, 0);
  assert.equal(typeof chunks.at(-1).usage.completion_tokens, "number");

  const missing = await t.post("/v1/chat/completions", {
    stream: true,
    model: "llama9:70b",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error.code, "model_not_found");
  const bad = await t.post("/v1/chat/completions", { messages: [{ role: "robot", content: "x" }] });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.field, "messages[0].role");
  const notJson = await t.post("/v1/chat/completions", "{");
  assert.equal(notJson.status, 400);
  const anonymous = await fetch(`${t.daemon.url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const blank = await t.post("/v1/chat/completions", {
    messages: [{ role: "user", content: "   " }],
  });
  assert.deepEqual([blank.status, (await blank.json()).error.field], [400, "messages[0].content"]);
  // A model server failing before any text: a status, whole or streamed, and the daemon lives.
  t.fake.options.failStatus = 500;
  for (const stream of [false, true]) {
    const failed = await t.post("/v1/chat/completions", {
      stream,
      messages: [{ role: "user", content: "Will this one fail, do you think?" }],
    });
    assert.ok(failed.status >= 500, `${failed.status}`);
    assert.equal(typeof (await failed.json()).error.message, "string");
  }
  delete t.fake.options.failStatus;
  assert.equal((await fetch(`${t.daemon.url}/health`)).status, 200, "the daemon is alive");
  // One-off questions are not sessions: nothing saved.
  const files = [...Deno.readDirSync(`${t.home}`)].map((e) => e.name);
  assert.equal(files.includes("sessions"), false);
});

Deno.test("chat API: an open session is reflected on when the daemon stops", async () => {
  await using t = await setup();
  const res = await t.post("/v1/chat/completions", {
    messages: [{ role: "user", content: "Remind me how the NAS backup to Backblaze works." }],
  }, { "X-Mycoswarm-Session": "garage" });
  assert.equal(res.status, 200);
  await res.json();
  const stopped = await t.daemon.stop("SIGTERM");
  assert.equal(stopped.code, 0, stopped.stderr);
  const memories = await runMain(["memory", "--sessions", "--json"], { env: t.env });
  const rows = JSON.parse(memories.stdout) as { name: string; summary: string }[];
  assert.deepEqual(rows.map((r) => [r.name, r.summary]), [["api-garage", SUMMARY]]);
});

Deno.test("Ollama-compatible API: /api/chat streams NDJSON through the pipeline; /api/tags; errors as strings", async () => {
  await using t = await setup();
  const res = await t.post("/api/chat", {
    model: "mycoswarm",
    messages: [{ role: "user", content: "How is the NAS backup to Backblaze scheduled?" }],
    options: { temperature: 0.1, num_predict: 200 },
  }, { "X-Mycoswarm-Session": "den" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/x-ndjson");
  const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
  const last = lines.at(-1);
  // The pipeline answers with the swarm's largest chat model.
  assert.ok(lines.slice(0, -1).every((l) => l.done === false && l.model === "qwen2.5:14b"));
  assert.match(
    lines.slice(0, -1).map((l) => l.message.content).join(""),
    /^You said: How is the NAS backup to Backblaze scheduled\?/,
  );
  assert.deepEqual([last.done, last.done_reason, last.message.content], [true, "stop", ""]);
  assert.equal(typeof last.total_duration, "number");
  assert.equal(typeof last.eval_count, "number");
  assert.equal(last.mycoswarm.session, "den");
  assert.ok(last.mycoswarm.sources.length > 0, "the document was recalled");

  const whole = await (await t.post("/api/chat", {
    stream: false,
    messages: [{ role: "user", content: "hello there, assistant" }],
  })).json();
  assert.equal(whole.done, true);
  assert.match(whole.message.content, /^You said: hello there, assistant/);
  assert.equal(whole.model, "qwen2.5:14b");

  const tags = await (await fetch(`${t.daemon.url}/api/tags`, {
    headers: { "X-Swarm-Token": (await Deno.readTextFile(`${t.home}/swarm-token`)).trim() },
  })).json();
  assert.deepEqual(tags.models.map((m: { name: string }) => m.name).sort(), [
    "gemma3:1b",
    "llama3.2:3b",
    "mycoswarm",
    "nomic-embed-text:latest",
    "qwen2.5:14b",
  ]);

  const missing = await t.post("/api/chat", {
    model: "llama9:70b",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(missing.status, 404);
  assert.match(
    (await missing.json()).error,
    /^model 'llama9:70b' is on no node of the swarm; it has: mycoswarm, .*llama3\.2:3b/,
  );
  const anonymous = await fetch(`${t.daemon.url}/api/tags`);
  assert.equal(anonymous.status, 401);
  assert.equal(typeof (await anonymous.json()).error, "string", "Ollama's error shape");
  const bad = await t.post("/api/chat", { messages: [{ role: "user", content: 5 }] });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error, "messages[0].content must be text");
});

Deno.test("chat API: a client that goes away mid-answer stops the inference task", async () => {
  await using t = await setup();
  t.fake.options.tokenDelayMs = 50;
  const token = (await Deno.readTextFile(`${t.home}/swarm-token`)).trim();
  const status = async () =>
    (await (await fetch(`${t.daemon.url}/status`, { headers: { "X-Swarm-Token": token } }))
      .json()).load.tasks as { active: number; failed: number };
  const client = new AbortController();
  const res = await fetch(`${t.daemon.url}/v1/chat/completions`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}` },
    body: JSON.stringify({
      stream: true,
      messages: [{ role: "user", content: "Tell me a very long story about the garden" }],
    }),
    signal: client.signal,
  });
  const reader = res.body!.getReader();
  await reader.read(); // the first chunk: the answer has begun
  assert.equal((await status()).active, 1);
  client.abort();
  await reader.cancel().catch(() => {});
  let now = await status();
  for (let i = 0; i < 50 && now.active > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await status();
  }
  assert.deepEqual(now, { ...now, active: 0, failed: 1 }, "cancelled, not run to its end");
});
