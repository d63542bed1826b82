/**
 * Recall through the CLI, relevance first: sessions placed in time with the test clock
 * (MYCOSWARM_NOW); unrelated sessions are not recalled however recent; facts over the
 * prompt budget shrink to the most important ones and are counted, never dropped whole.
 */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { type FakeMessage, startFakeLlm } from "../testing/fake_llm.ts";

const NOW = Date.parse("2026-11-21T12:00:00Z");
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

/** Each session's summary, picked by a word of what the user said in it. */
const SUMMARIES: [RegExp, string][] = [
  [
    /autovacuum/i,
    "We tuned Postgres autovacuum for the orders table: scale factor 0.05.",
  ],
  [/Backblaze/i, "We discussed the NAS backup to Backblaze, nightly at 02:00."],
  [/tomatoes/i, "We planned the garden: tomatoes go in the raised beds in June."],
];

/** The gate looks everywhere; reflections summarise the session; answers say "ok". */
function reply(messages: FakeMessage[]): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  if (system.includes("ONLY a JSON object") && system.includes("scope")) {
    return '{"tool": "answer", "mode": "chat", "scope": "all"}';
  }
  if (system.includes("You review a finished conversation")) {
    const said = messages.map((m) => m.content).join("\n");
    const summary = SUMMARIES.find(([word]) => word.test(said))?.[1] ?? "We chatted.";
    return JSON.stringify({ summary, decisions: [], lessons: [], surprises: [], tone: "flow" });
  }
  return "ok";
}

/** The system prompts of the answers (not the gate's, not the reflections'). */
function answerPrompts(fake: { requests: { path: string; body: unknown }[] }): string[] {
  return fake.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => (r.body as { messages: FakeMessage[] }).messages)
    .map((m) => m.find((x) => x.role === "system")?.content ?? "")
    .filter((s) => s.startsWith("You are mycoswarm"));
}

async function withSessions(
  run: (env: Record<string, string>, fake: Awaited<ReturnType<typeof startFakeLlm>>) => Promise<
    void
  >,
) {
  await using fake = await startFakeLlm({ reply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const sessions: [string, number, string][] = [
    ["pg", 10, "Let's tune Postgres autovacuum on the orders table: scale factor 0.05.\n"],
    ["nas", 1, "The NAS backup goes to Backblaze nightly at 02:00.\n"],
    ["garden", 1, "The tomatoes go in the raised beds in June.\n"],
  ];
  for (const [name, days, said] of sessions) {
    const chat = await runMain(["chat", "-s", name], {
      env: { ...env, MYCOSWARM_NOW: daysAgo(days) },
      stdin: said,
    });
    assert.equal(chat.code, 0, chat.stderr);
  }
  await run({ ...env, MYCOSWARM_NOW: String(NOW) }, fake);
}

Deno.test("asked about Postgres autovacuum, the session of ten days ago is recalled, not yesterday's unrelated ones", async () => {
  await withSessions(async (env, fake) => {
    const asked = answerPrompts(fake).length;
    const chat = await runMain(["chat", "-s", "now", "--debug"], {
      env,
      stdin: "How should I tune Postgres autovacuum for the orders table?\n",
    });
    assert.equal(chat.code, 0, chat.stderr);
    const system = answerPrompts(fake)[asked]!;
    assert.match(
      system,
      /\[S1\] On 2026-11-11 we discussed \(flow\): We tuned Postgres autovacuum/,
    );
    assert.doesNotMatch(system, /Backblaze|tomatoes/);
    assert.doesNotMatch(system, /\[S2\] On/);
  });
});

Deno.test("asked about something never discussed, no session is recalled or cited", async () => {
  await withSessions(async (env, fake) => {
    const asked = answerPrompts(fake).length;
    const chat = await runMain(["chat", "-s", "now", "--debug"], {
      env,
      stdin: "What is the best way to learn the Zorblax programming language quickly?\n",
    });
    assert.equal(chat.code, 0, chat.stderr);
    const system = answerPrompts(fake)[asked]!;
    assert.doesNotMatch(system, /Session memories|\[S1\] On/);
    assert.doesNotMatch(chat.stdout, /\[S\d\]|session of/);
    assert.match(chat.stderr, /\[recall\] \w+: 0 sessions/);
  });
});

Deno.test("what we discussed last time still brings the newest sessions in", async () => {
  await withSessions(async (env, fake) => {
    const asked = answerPrompts(fake).length;
    const chat = await runMain(["chat", "-s", "now"], {
      env,
      stdin: "What did we discuss last time?\n",
    });
    assert.equal(chat.code, 0, chat.stderr);
    const system = answerPrompts(fake)[asked]!;
    assert.match(system, /\[S1\] On 2026-11-20/);
    assert.match(system, /Postgres autovacuum/);
  });
});

Deno.test("facts over the prompt budget keep the Norwegian preference and say how many are not shown", async () => {
  await using fake = await startFakeLlm({ reply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url, MYCOSWARM_NOW: String(NOW) };
  // A 1024-token window: 2,048 characters of context, half of it for facts.
  await Deno.writeTextFile(`${dir.home}/config.toml`, "[llm]\ncontext_tokens = 1024\n");
  const remember = ["/remember pref: always answer in Norwegian"];
  for (let i = 0; i < 40; i++) remember.push(`/remember shelf ${i} in the garage holds paint tins`);
  const chat = await runMain(["chat", "-s", "facts", "--debug"], {
    env,
    stdin: `${remember.join("\n")}\nWhich shelf in the garage holds the paint tins?\n`,
  });
  assert.equal(chat.code, 0, chat.stderr);
  const system = answerPrompts(fake).at(-1)!;
  assert.match(system, /User preferences:\n- always answer in Norwegian/);
  const notShown = system.match(/(\d+) more facts not shown\./);
  assert.ok(notShown, system);
  const count = Number(notShown[1]);
  assert.ok(count > 0 && count < 41, `${count} facts not shown`);
  assert.match(
    chat.stderr,
    new RegExp(`\\[recall\\] ${count} facts left out: over the prompt budget`),
  );
});
