/** The thinking pipeline end to end: facts, documents, reflection, and recall in a later process. */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runMain, tempHome } from "./support/run_cli.ts";
import { defaultReply, type FakeMessage, startFakeLlm } from "../testing/fake_llm.ts";

/** Answers reflection requests with a JSON reflection drawn from the conversation. */
function reflectingReply(messages: FakeMessage[], model: string): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  if (system.includes("You review a finished conversation")) {
    return JSON.stringify({
      summary: "We discussed the NAS backup plan and the Backblaze schedule.",
      decisions: ["Run the backup nightly"],
      lessons: ["When the backup fails, check the disk first"],
      surprises: [],
      tone: "resolution",
    });
  }
  return defaultReply(messages, model);
}

function systemPrompts(fake: { requests: { path: string; body: unknown }[] }): string[] {
  return fake.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => (r.body as { messages: FakeMessage[] }).messages)
    .map((m) => m.find((x) => x.role === "system")?.content ?? "");
}

Deno.test("a later chat recalls the last session's summary with its date", async () => {
  await using fake = await startFakeLlm({ reply: reflectingReply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await Deno.writeTextFile(
    `${dir.home}/nas.md`,
    "# NAS backup\n\nThe NAS backup runs nightly to Backblaze at 02:00.\n",
  );
  await runMain(["library", "ingest", `${dir.home}/nas.md`], { env });

  const first = await runMain(["chat", "-s", "one"], {
    env,
    stdin: "/remember I keep my photos on the NAS\n" +
      "Can you explain how the NAS backup plan to Backblaze is scheduled in my notes?\n" +
      "I decided to run the backup nightly. When the backup fails I check the disk first.\n",
  });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /Reflecting on session\.\.\. done\. \(grounding: \d+%\)/);
  assert.match(first.stderr, /Tone: resolution/);
  assert.match(first.stderr, /Lesson: When the backup fails, check the disk first/);
  assert.match(first.stderr, /New procedure #1: /);
  const today = new Date().toISOString().slice(0, 10);

  const second = await runMain(["chat", "-s", "two", "--debug"], {
    env,
    stdin: "What did we discuss last time?\n",
  });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /\[intent\] tool=\w+ mode=\w+ scope=session/);
  const system = systemPrompts(fake).at(-2)!; // the last answer, before its reflection
  assert.match(
    system,
    new RegExp(
      `\\[S1\\] On ${today} we discussed \\(resolution\\): We discussed the NAS backup plan`,
    ),
  );
  assert.match(system, /Known facts about the user:\n- I keep my photos on the NAS/);
  assert.match(second.stdout, /Sources:\n {2}\[S1\] session of \d{4}-\d{2}-\d{2}/);
});

Deno.test("ask --json shows the intent decision; documents are cited with their section", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await Deno.writeTextFile(
    `${dir.home}/pond.md`,
    "# Koi pond\n\nThe koi pond pump is cleaned every April.\n",
  );
  await runMain(["library", "ingest", `${dir.home}/pond.md`], { env });
  fake.options.reply = (messages, model) => {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    if (system.includes("ONLY a JSON object") && system.includes("scope")) {
      return '{"tool": "rag", "mode": "recall", "scope": "docs"}';
    }
    return defaultReply(messages, model);
  };
  const run = await runMain(["ask", "--json", "when is the koi pond pump cleaned each year?"], {
    env,
  });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.deepEqual(
    {
      tool: out.intent.tool,
      mode: out.intent.mode,
      scope: out.intent.scope,
      source: out.intent.source,
    },
    { tool: "rag", mode: "recall", scope: "docs", source: "model" },
  );
  assert.equal(typeof out.intent.ms, "number");
  assert.deepEqual(out.sources.map((s: { label: string }) => s.label), ["[D1]"]);
  assert.match(out.sources[0].description, /pond\.md › Koi pond$/);
  const system = systemPrompts(fake).at(-1)!;
  assert.match(
    system,
    /\[D1\] From .*pond\.md › Koi pond:\n"""\nThe koi pond pump is cleaned every April\.\n"""/,
  );
});

Deno.test("a reflection that fails stores nothing and the session is still saved", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  fake.options.reply = (messages, model) => {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    if (/review a finished conversation|Summarise this conversation/.test(system)) return "";
    return defaultReply(messages, model);
  };
  const run = await runMain(["chat", "-s", "quiet"], { env, stdin: "hello there friend\n" });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Reflecting on session\.\.\. failed: .*The session stays pending/);
  assert.match(run.stderr, /Session saved to/);
  const db = new DatabaseSync(`${dir.home}/memory.db`);
  try {
    assert.equal((db.prepare("SELECT COUNT(*) AS n FROM episodes").get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
});
