/**
 * Held-back suite for recall, facts, pending reflections and restores (issue 13), end to end
 * through the CLI with the test clock (MYCOSWARM_NOW). Fresh topics and values, apart from
 * tests/recall_relevance_test.ts, tests/pending_test.ts and tests/claims_quarantine_test.ts.
 */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { type FakeMessage, startFakeLlm } from "../testing/fake_llm.ts";
import { answerPrompts } from "./support/reflecting.ts";

const NOW = Date.parse("2026-09-15T18:00:00Z");
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();
const REVIEW = "You review a finished conversation";

/** Each session's summary, by a word the user said in it. */
const SUMMARIES: [RegExp, string][] = [
  [/retain flag/i, "We set the Mosquitto broker to keep the retain flag for greenhouse sensors."],
  [/qos/i, "We moved the greenhouse sensors on the Mosquitto broker to QoS 1."],
  [/invitations/i, "We picked a serif font for the wedding invitations."],
  [/grinder/i, "We compared burr grinders for the espresso machine."],
];

/** The gate looks everywhere; reflections summarise by SUMMARIES; answers say "ok". */
function reply(messages: FakeMessage[]): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  if (system.includes("ONLY a JSON object") && system.includes("scope")) {
    return '{"tool": "answer", "mode": "chat", "scope": "all"}';
  }
  if (system.includes(REVIEW)) {
    const said = messages.map((m) => m.content).join("\n");
    const summary = SUMMARIES.find(([word]) => word.test(said))?.[1] ?? "We chatted.";
    return JSON.stringify({ summary, tone: "routine" });
  }
  return "ok";
}

async function chatAt(env: Record<string, string>, name: string, days: number, said: string) {
  const run = await runMain(["chat", "-s", name], {
    env: { ...env, MYCOSWARM_NOW: daysAgo(days) },
    stdin: said,
  });
  assert.equal(run.code, 0, run.stderr);
}

Deno.test("a relevant session of 40 days ago is recalled; today's unrelated ones are not", async () => {
  await using fake = await startFakeLlm({ reply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await chatAt(
    env,
    "mqtt",
    40,
    "Set the Mosquitto broker retain flag for the greenhouse sensors.\n",
  );
  await chatAt(env, "font", 0.1, "Which serif font suits the wedding invitations?\n");
  await chatAt(env, "coffee", 1, "Compare burr grinder options for my espresso machine.\n");
  const asked = answerPrompts(fake).length;
  const run = await runMain(["chat", "-s", "now"], {
    env: { ...env, MYCOSWARM_NOW: String(NOW) },
    stdin: "How did we configure the Mosquitto broker for the greenhouse sensors?\n",
  });
  assert.equal(run.code, 0, run.stderr);
  const prompt = answerPrompts(fake)[asked]!;
  assert.match(prompt, /\[S1\] On 2026-08-06 we discussed \(routine\): We set the Mosquitto/);
  assert.doesNotMatch(prompt, /invitations|espresso|\[S2\] On/);
});

Deno.test("two equally relevant sessions: the newer comes first", async () => {
  await using fake = await startFakeLlm({ reply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await chatAt(
    env,
    "old",
    30,
    "Set the Mosquitto broker retain flag for the greenhouse sensors.\n",
  );
  await chatAt(env, "new", 3, "Move the greenhouse sensors on the Mosquitto broker to QoS 1.\n");
  const asked = answerPrompts(fake).length;
  await runMain(["chat", "-s", "now"], {
    env: { ...env, MYCOSWARM_NOW: String(NOW) },
    stdin: "What do we know about the Mosquitto broker and the greenhouse sensors?\n",
  });
  const prompt = answerPrompts(fake)[asked]!;
  assert.match(prompt, /\[S1\] On 2026-09-12 .*QoS 1/);
  assert.match(prompt, /\[S2\] On 2026-08-16 .*retain flag/);
});

Deno.test("facts over budget: both preferences and the relevant project fact stay, the rest counted", async () => {
  await using fake = await startFakeLlm({ reply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url, MYCOSWARM_NOW: String(NOW) };
  await Deno.writeTextFile(`${dir.home}/config.toml`, "[llm]\ncontext_tokens = 1024\n");
  const lines = [
    "/remember pref: answer in British English",
    "/remember pref: keep answers under five sentences",
  ];
  for (let i = 0; i < 30; i++) lines.push(`/remember crate ${i} in the attic holds old cables`);
  lines.push("/remember project: the greenhouse controller runs on an ESP32 board");
  for (let i = 30; i < 45; i++) lines.push(`/remember crate ${i} in the attic holds old cables`);
  const run = await runMain(["chat", "-s", "facts"], {
    env,
    stdin: `${lines.join("\n")}\nWhich board does the greenhouse controller run on?\n`,
  });
  assert.equal(run.code, 0, run.stderr);
  const prompt = answerPrompts(fake).at(-1)!;
  const preferences = prompt.split("User preferences:\n")[1]?.split("\n\n")[0] ?? "";
  assert.deepEqual(preferences.split("\n").sort(), [
    "- answer in British English",
    "- keep answers under five sentences",
  ]);
  assert.match(prompt, /Active projects:\n- the greenhouse controller runs on an ESP32 board/);
  const notShown = Number(prompt.match(/(\d+) more facts not shown\./)?.[1]);
  assert.ok(notShown > 0 && notShown <= 45, prompt);
});

Deno.test("a reflection that failed is picked up by the next ask; the user is told both times", async () => {
  await using fake = await startFakeLlm({ reply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url, MYCOSWARM_NOW: String(NOW) };
  // The model server goes down once the answer is given: the end-of-chat reflection fails.
  fake.options.reply = (messages) => {
    if ((messages[0]?.content ?? "").startsWith("You are mycoswarm")) fake.options.failStatus = 500;
    return reply(messages);
  };
  const chat = await runMain(["chat", "-s", "grinder"], {
    env,
    stdin: "Compare burr grinder options for my espresso machine.\n",
  });
  assert.equal(chat.code, 0, chat.stderr);
  assert.match(chat.stderr, /Reflecting on session\.\.\. failed: .+ stays pending/);
  const pending = JSON.parse((await runMain(["memory", "--pending", "--json"], { env })).stdout);
  assert.deepEqual(pending.map((p: { name: string }) => p.name), ["grinder"]);

  delete fake.options.failStatus;
  fake.options.reply = reply;
  const ask = await runMain(["ask", "what is a conical burr?"], { env });
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(
    ask.stderr,
    /Pending sessions: grinder reflected \(from message 1, grounding \d+%\)\./,
  );
  const sessions = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  assert.equal(sessions.length, 1);
  assert.match(sessions[0].summary, /burr grinders/);
  assert.equal(
    (await runMain(["memory", "--pending"], { env })).stdout,
    "No pending sessions: every chat was reflected on.\n",
  );
});

Deno.test("MYCOSWARM_NOW is for tests: --help does not advertise it", async () => {
  for (const args of [["--help"], ["chat", "--help"], ["ask", "--help"], ["memory", "--help"]]) {
    const run = await runMain(args, {});
    assert.doesNotMatch(run.stdout + run.stderr, /MYCOSWARM_NOW/, args.join(" "));
  }
});

Deno.test("two chats ending at once with the model server down: both pending, then each reflected once", async () => {
  await using fake = await startFakeLlm({ reply });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url, MYCOSWARM_NOW: String(NOW) };
  // Every reflection fails on the server (HTTP 500), whenever each chat ends.
  fake.options.reply = (messages) => {
    if ((messages[0]?.content ?? "").includes(REVIEW)) throw new Error("model server down");
    return reply(messages);
  };
  fake.options.firstTokenDelayMs = 150;
  const runs = await Promise.all([
    runMain(["chat", "-s", "font"], { env, stdin: "Which serif font suits the invitations?\n" }),
    runMain(["chat", "-s", "coffee"], { env, stdin: "Compare burr grinder options.\n" }),
  ]);
  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Reflecting on session\.\.\. failed: .+ stays pending/);
  }
  const pending = JSON.parse((await runMain(["memory", "--pending", "--json"], { env })).stdout);
  assert.deepEqual(pending.map((p: { name: string }) => p.name).sort(), ["coffee", "font"]);

  delete fake.options.firstTokenDelayMs;
  fake.options.reply = reply;
  const reviews = () =>
    fake.requests.filter((r) => JSON.stringify(r.body ?? "").includes(REVIEW)).length;
  const before = reviews();
  const ask = await runMain(["ask", "what is a serif?"], { env });
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(ask.stderr, /Pending sessions: .*coffee.*font|Pending sessions: .*font.*coffee/);
  assert.equal(reviews() - before, 2, "each reflected once");
  const sessions = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  assert.deepEqual(sessions.map((s: { name: string }) => s.name).sort(), ["coffee", "font"]);
});
