/** `mycoswarm chat` against the test model server, as a subprocess fed through stdin. */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";

interface SavedSession {
  name: string;
  model: string;
  message_count: number;
  messages: {
    role: string;
    content: string;
    timestamp: string;
    interrupted?: boolean;
    model?: string;
  }[];
}

async function readSession(home: string, name: string): Promise<SavedSession> {
  return JSON.parse(await Deno.readTextFile(`${home}/sessions/${name}.json`));
}

Deno.test("chat answers each line, saves the session at Ctrl-D and says how to resume", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["chat", "--session", "garden"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
    stdin: "first question\n\nsecond question\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    "You said: first question. (model qwen2.5:14b, 2 messages)\n" +
      "You said: second question. (model qwen2.5:14b, 4 messages)\n",
  );
  assert.match(run.stderr, /Session saved to .*garden\.json \(4 messages\)/);
  assert.match(run.stderr, /mycoswarm chat --session garden/);
  const saved = await readSession(dir.home, "garden");
  assert.equal(saved.message_count, 4);
  assert.equal(saved.model, "qwen2.5:14b");
  assert.deepEqual(saved.messages.map((m) => m.role), ["user", "assistant", "user", "assistant"]);
});

Deno.test("chat --session and --resume continue a saved conversation with its history", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await runMain(["chat", "--session", "old", "-m", "gemma3:1b"], { env, stdin: "a\n" });
  await runMain(["chat", "--session", "new"], { env, stdin: "b\n/quit\nnever sent\n" });
  const resumed = await runMain(["chat", "--session", "old"], { env, stdin: "c\n" });
  assert.equal(resumed.code, 0, resumed.stderr);
  // The resumed session keeps its model and sends its history: system + 3 messages.
  assert.equal(resumed.stdout, "You said: c. (model gemma3:1b, 4 messages)\n");
  const latest = await runMain(["chat", "--resume"], { env, stdin: "d\n" });
  assert.equal(latest.stdout, "You said: d. (model gemma3:1b, 6 messages)\n");
  assert.equal((await readSession(dir.home, "old")).message_count, 6);
  assert.equal((await readSession(dir.home, "new")).message_count, 2);
});

Deno.test("chat slash commands: /help, /model, /clear, /save, unknown", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["chat", "-s", "cmds"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
    stdin:
      "/help\n/model llama3.2:3b\nhello\n/model nope:1b\n/clear\nagain\n/save\n/dance\n/exit\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /\/model \[name\]/);
  assert.match(run.stdout, /Model: llama3\.2:3b\n/);
  assert.match(run.stdout, /You said: hello\. \(model llama3\.2:3b, 2 messages\)/);
  assert.match(run.stderr, /Model 'nope:1b' is not installed/);
  assert.match(run.stdout, /Conversation cleared\./);
  assert.match(run.stdout, /You said: again\. \(model llama3\.2:3b, 2 messages\)/);
  assert.match(run.stdout, /Saved 2 messages to .*cmds\.json/);
  assert.match(run.stderr, /Unknown command '\/dance'/);
  assert.equal((await readSession(dir.home, "cmds")).messages[0]?.content, "again");
});

Deno.test("chat keeps a partial answer when the server drops, and goes on", async () => {
  await using fake = await startFakeLlm({ dropAfterTokens: 2 });
  await using dir = await tempHome();
  const run = await runMain(["chat", "-s", "drop"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
    stdin: "first\n",
  });
  assert.equal(run.code, 3, "a script learns that an answer failed");
  assert.match(run.stderr, /\[answer cut off\] .*dropped mid-answer/);
  const saved = await readSession(dir.home, "drop");
  assert.deepEqual(saved.messages[1], {
    role: "assistant",
    content: "You said:",
    model: "qwen2.5:14b",
    interrupted: true,
    timestamp: saved.messages[1]?.timestamp,
  });
  // The next session turn works once the server is healthy again.
  delete fake.options.dropAfterTokens;
  const next = await runMain(["chat", "-s", "drop"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
    stdin: "second\n",
  });
  assert.match(next.stdout, /You said: second\./);
  assert.equal((await readSession(dir.home, "drop")).message_count, 4);
});

Deno.test("chat: Ctrl-C stops the answer, keeps what came, and the session is saved", async () => {
  await using fake = await startFakeLlm({ tokenDelayMs: 50 });
  await using dir = await tempHome();
  const run = await runMain(["chat", "-s", "stop"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
    stdin: "one two three four five six seven eight nine ten\n",
    interruptAfter: "said:",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /\[answer stopped\]/);
  const saved = await readSession(dir.home, "stop");
  const answer = saved.messages[1];
  assert.equal(answer?.interrupted, true);
  assert.ok(answer?.content.startsWith("You said:"));
  assert.ok(!answer?.content.includes("ten"));
});

Deno.test("chat --list shows sessions newest first and flags a damaged file", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await runMain(["chat", "-s", "alpha"], { env, stdin: "x\n" });
  await Deno.writeTextFile(`${dir.home}/sessions/broken.json`, "{not json");
  const list = await runMain(["chat", "--list"], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^alpha +2 messages/m);
  assert.match(list.stdout, /^broken +damaged:/m);
  const json = JSON.parse((await runMain(["chat", "--list", "--json"], { env })).stdout);
  assert.deepEqual(json.map((s: { name: string; ok: boolean }) => [s.name, s.ok]), [
    ["alpha", true],
    ["broken", false],
  ]);
  // Opening the damaged session refuses and leaves the file alone.
  const open = await runMain(["chat", "-s", "broken"], { env, stdin: "hi\n" });
  assert.equal(open.code, 2);
  assert.match(open.stderr, /broken\.json is damaged/);
  assert.equal(await Deno.readTextFile(`${dir.home}/sessions/broken.json`), "{not json");
});
