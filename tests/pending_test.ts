/**
 * Nothing forgotten by accident: a session whose reflection failed (the model server was down)
 * or never ran (the chat was stopped) stays pending, `memory --pending` lists it, and it is
 * reflected whole at the next resume or at the next start of chat or ask — once, even when
 * two chats end at the same moment on one home.
 */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { defaultReply, type FakeMessage, startFakeLlm } from "../testing/fake_llm.ts";

const REVIEW = "review a finished conversation";
const REFLECTION = '{"summary": "We talked about the garden.", "tone": "routine"}';

/** A model server that answers "ok", and a reflection to the reflection prompt. */
function gardenLlm() {
  return startFakeLlm({
    reply: (messages: FakeMessage[]) => messages[0]?.content.includes(REVIEW) ? REFLECTION : "ok",
  });
}

/** The conversations the model was asked to reflect on, in order. */
function reflectionPrompts(requests: { body?: unknown }[]): string[] {
  return requests.map((r) => JSON.stringify(r.body ?? "")).filter((b) => b.includes(REVIEW));
}

/** A chat session saved by a chat that was stopped before its reflection (kill, power cut). */
async function writeStoppedSession(home: string, name: string, lines: string[]) {
  await Deno.mkdir(`${home}/sessions`, { recursive: true });
  const at = "2026-03-01T09:00:00.000Z";
  const messages = lines.map((content, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content,
    timestamp: at,
  }));
  await Deno.writeTextFile(
    `${home}/sessions/${name}.json`,
    JSON.stringify({
      name,
      model: "llama3.2:3b",
      created: at,
      updated: at,
      message_count: messages.length,
      messages,
      reflected_through: 0,
    }),
  );
}

async function sessionNames(env: Record<string, string>): Promise<string[]> {
  const run = await runMain(["memory", "--sessions", "--json"], { env });
  return JSON.parse(run.stdout).map((s: { name: string }) => s.name).sort();
}

Deno.test("a reflection that fails stays pending, is listed, and the next resume reflects the whole session", async () => {
  await using fake = await gardenLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const reply = fake.options.reply!;
  // The model server fails from the chat model's answer on: the reflection cannot run.
  fake.options.reply = (messages, model) => {
    if (model === "llama3.2:3b") fake.options.failStatus = 503;
    return reply(messages, model);
  };
  const first = await runMain(["chat", "-s", "garden", "-m", "llama3.2:3b"], {
    env: { ...env, MYCOSWARM_NOW: "2026-03-01T09:00:00Z" },
    stdin: "my tomatoes need staking before June\n",
  });
  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stderr,
    /Reflecting on session\.\.\. failed: .+\. The session stays pending; it will be reflected next time \(mycoswarm memory --pending\)\.\n/,
  );
  assert.deepEqual(await sessionNames(env), [], "nothing half-written");

  const listed = await runMain(["memory", "--pending", "--json"], { env });
  assert.equal(listed.code, 0, listed.stderr);
  const [pending, ...more] = JSON.parse(listed.stdout);
  assert.equal(more.length, 0);
  assert.equal(pending.name, "garden");
  assert.equal(pending.first_unreflected, 0);
  assert.equal(pending.unreflected_messages, 2);
  assert.match(pending.reason, /^reflection failed: /);
  assert.match(pending.since, /^2026-03-01T09:00:/, "when it failed, by the test clock");
  const text = await runMain(["memory", "--pending"], { env });
  assert.match(text.stdout, /^garden {2}from message 1 \(2 waiting\) {2}reflection failed: /m);

  delete fake.options.failStatus;
  fake.options.reply = reply;
  const resumed = await runMain(["chat", "-s", "garden"], { env, stdin: "and the peppers?\n" });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /Reflecting on session\.\.\. done\./);
  assert.match(resumed.stderr, /\(reflected from message 1, pending from before\)/);
  const prompts = reflectionPrompts(fake.requests);
  const last = prompts.at(-1)!;
  assert.match(last, /my tomatoes need staking before June/, "the failed run is reflected too");
  assert.match(last, /and the peppers\?/);
  const sessions = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  assert.deepEqual(sessions.map((s: { message_count: number }) => s.message_count), [4]);
  assert.equal(
    (await runMain(["memory", "--pending"], { env })).stdout,
    "No pending sessions: every chat was reflected on.\n",
  );
});

Deno.test("the next ask reflects a chat that was stopped before its reflection", async () => {
  await using fake = await gardenLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await writeStoppedSession(dir.home, "stopped", ["plant garlic in October", "ok"]);
  const listed = JSON.parse((await runMain(["memory", "--pending", "--json"], { env })).stdout);
  assert.match(listed[0].reason, /never reflected/);

  const ask = await runMain(["ask", "what is mDNS?"], { env });
  assert.equal(ask.code, 0, ask.stderr);
  assert.match(ask.stdout, /^ok/, "the answer comes first");
  assert.match(
    ask.stderr,
    /Pending sessions: stopped reflected \(from message 1, grounding \d+%\)\./,
  );
  assert.match(reflectionPrompts(fake.requests)[0]!, /plant garlic in October/);
  assert.deepEqual(await sessionNames(env), ["stopped"]);
  // Reflected once: the next start finds nothing pending.
  const again = await runMain(["ask", "and DNS-SD?"], { env });
  assert.doesNotMatch(again.stderr, /Pending sessions/);
  assert.equal(reflectionPrompts(fake.requests).length, 1);
});

Deno.test("two chats ending at once on one home: each session, and a pending one, reflected exactly once", async () => {
  await using fake = await gardenLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await writeStoppedSession(dir.home, "stopped", ["plant garlic in October", "ok"]);
  // Slow answers, so that the two chats' ends (and their sweeps) overlap.
  fake.options.firstTokenDelayMs = 150;
  const [a, b] = await Promise.all([
    runMain(["chat", "-s", "a"], { env, stdin: "prune the apple tree\n" }),
    runMain(["chat", "-s", "b"], { env, stdin: "mulch the roses\n" }),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(await sessionNames(env), ["a", "b", "stopped"]);
  const prompts = reflectionPrompts(fake.requests);
  assert.equal(prompts.filter((p) => p.includes("plant garlic")).length, 1);
  assert.equal(prompts.length, 3);
  assert.equal(
    (await runMain(["memory", "--pending"], { env })).stdout,
    "No pending sessions: every chat was reflected on.\n",
  );
});

Deno.test("a session open in one chat is refused to a second chat, which loses nothing", async () => {
  await using fake = await gardenLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  fake.options.firstTokenDelayMs = 1500;
  const first = runMain(["chat", "-s", "shared"], { env, stdin: "prune the apple tree\n" });
  // The second starts while the first is answering (its claim is taken before its answer).

  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (fake.requests.some((r) => r.path === "/api/chat")) break;
  }
  const second = await runMain(["chat", "-s", "shared"], { env, stdin: "mulch the roses\n" });
  assert.equal(second.code, 2);
  assert.match(second.stderr, /Session shared is open in a chat in another mycoswarm process/);
  assert.match(
    second.stderr,
    /If no chat has it open \(one crashed\), remove .+shared\.json\.lock/,
  );
  assert.equal((await first).code, 0);
  const saved = JSON.parse(await Deno.readTextFile(`${dir.home}/sessions/shared.json`));
  assert.equal(saved.messages[0].content, "prune the apple tree");
});

Deno.test("a session reflected later grounds its claims on the documents retrieved back then", async () => {
  await using fake = await startFakeLlm({
    reply: (messages: FakeMessage[], model: string) => {
      const system = messages[0]?.content ?? "";
      if (system.includes(REVIEW)) {
        return JSON.stringify({ summary: "The NAS backup runs at 02:00 to Backblaze." });
      }
      if (system.includes("ONLY a JSON object") && system.includes("scope")) {
        return '{"tool": "rag", "mode": "chat", "scope": "all"}'; // the gate: read the documents
      }
      return defaultReply(messages, model);
    },
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await Deno.writeTextFile(
    `${dir.home}/nas.md`,
    "# NAS backup\n\nThe NAS backup runs nightly at 02:00 to Backblaze.\n",
  );
  await runMain(["library", "ingest", `${dir.home}/nas.md`], { env });
  const reply = fake.options.reply!;
  fake.options.reply = (messages, model) => {
    if (!messages[0]?.content.includes(REVIEW)) return reply(messages, model);
    fake.options.failStatus = 503; // down just when the reflection is asked for
    return "";
  };
  const first = await runMain(["chat", "-s", "nas", "--debug"], {
    env,
    stdin: "When does the NAS backup run, according to my notes?\n",
  });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /\[recall\] \w+: 0 sessions, 1 document/, "the notes were read");
  assert.match(first.stderr, /The session stays pending/);

  delete fake.options.failStatus;
  fake.options.reply = reply;
  const resumed = await runMain(["chat", "-s", "nas"], { env, stdin: "thanks\n" });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /not recalled/, "02:00 and Backblaze came from the notes");
  const [session] = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  assert.ok(session.claims.every((c: { grounded: boolean }) => c.grounded), resumed.stderr);
});

Deno.test("a session reflected later keeps the standing of the memories recalled back then", async () => {
  const recap = "The NAS backup runs at 02:00 to Backblaze.";
  await using fake = await startFakeLlm({
    reply: (messages: FakeMessage[], model: string) => {
      const system = messages[0]?.content ?? "";
      if (system.includes(REVIEW)) return JSON.stringify({ summary: recap });
      if (system.includes("ONLY a JSON object") && system.includes("scope")) {
        return '{"tool": "answer", "mode": "recall", "scope": "session"}';
      }
      return defaultReply(messages, model);
    },
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const told = await runMain(["chat", "-s", "told"], {
    env,
    stdin: "My NAS backup runs at 02:00 to Backblaze.\n",
  });
  assert.doesNotMatch(told.stderr, /not recalled/, told.stderr);
  const reply = fake.options.reply!;
  fake.options.reply = (messages, model) => {
    if (!messages[0]?.content.includes(REVIEW)) return reply(messages, model);
    fake.options.failStatus = 503; // down just when the reflection is asked for
    return "";
  };
  const asked = await runMain(["chat", "-s", "asked", "--debug"], {
    env,
    stdin: "When does my NAS backup run?\n",
  });
  assert.match(asked.stderr, /\[recall\] \w+: 1 session/, asked.stderr);
  assert.match(asked.stderr, /The session stays pending/);

  delete fake.options.failStatus;
  fake.options.reply = reply;
  const resumed = await runMain(["chat", "-s", "asked"], { env, stdin: "thanks\n" });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /not recalled/, "02:00 came from a grounded memory");
});

Deno.test("a reflection stored just before the process died is not stored again", async () => {
  await using fake = await gardenLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const chat = await runMain(["chat", "-s", "garden"], { env, stdin: "plant garlic in October\n" });
  assert.match(chat.stderr, /Reflecting on session\.\.\. done\./);
  // The episode was stored, then the process died before the transcript recorded it: the
  // file is as it was saved just before the episode was stored.
  const path = `${dir.home}/sessions/garden.json`;
  const saved = JSON.parse(await Deno.readTextFile(path));
  const started = { end: saved.messages.length, at: saved.messages[0].timestamp };
  await Deno.writeTextFile(
    path,
    JSON.stringify({ ...saved, reflected_through: 0, reflection_started: started }),
  );
  assert.equal(
    JSON.parse((await runMain(["memory", "--pending", "--json"], { env })).stdout).length,
    1,
  );

  const ask = await runMain(["ask", "what is mDNS?"], { env });
  assert.equal(ask.code, 0, ask.stderr);
  assert.deepEqual(await sessionNames(env), ["garden"], "one episode, not two");
  assert.equal(reflectionPrompts(fake.requests).length, 1, "no second reflection either");
  assert.deepEqual(
    JSON.parse((await runMain(["memory", "--pending", "--json"], { env })).stdout),
    [],
  );
});
