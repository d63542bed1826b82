/** Facts through `mycoswarm memory` and chat's /remember, /memories, /forget, /stale. */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "./support/fake_llm.ts";

Deno.test("memory --add / --forget / list, with types and ids never reused", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const added = await runMain(["memory", "--add", "pref: short answers"], { env });
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stdout, "Remembered #1 (preference): short answers\n");
  await runMain(["memory", "--add", "I live in Oslo"], { env });
  const forgot = await runMain(["memory", "--forget", "2"], { env });
  assert.equal(forgot.stdout, "Forgot #2: I live in Oslo\n");
  const third = JSON.parse(
    (await runMain(["memory", "--json", "--add", "temp: dentist at 3"], { env })).stdout,
  );
  assert.equal(third.fact.id, 3);
  assert.equal(third.fact.type, "ephemeral");
  const list = JSON.parse((await runMain(["memory", "--json"], { env })).stdout);
  assert.deepEqual(list.map((f: { id: number; stale: boolean }) => [f.id, f.stale]), [
    [1, false],
    [3, false],
  ]);
  const missing = await runMain(["memory", "--forget", "2"], { env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /There is no fact #2/);
  const bad = await runMain(["memory", "--forget", "two"], { env });
  assert.equal(bad.code, 2);
});

Deno.test("chat /remember puts the fact into the system prompt of later answers", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const run = await runMain(["chat", "-s", "facts"], {
    env,
    stdin: "/remember project: mushroom farm in the cellar\n/memories\nhow is it going?\n" +
      "/forget 1\n/memories\n/stale\n/remember\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Remembered #1 \(project\): mushroom farm in the cellar/);
  assert.match(run.stdout, /#1 +project +mushroom farm in the cellar\n/);
  assert.match(run.stdout, /Forgot #1: mushroom farm in the cellar/);
  assert.match(run.stdout, /No facts yet/);
  assert.match(run.stdout, /No stale facts\./);
  assert.match(run.stderr, /Nothing to remember/);
  const call = fake.requests.find((r) => r.path === "/v1/chat/completions");
  const messages = (call?.body as { messages: { role: string; content: string }[] }).messages;
  assert.equal(messages[0]?.role, "system");
  assert.match(messages[0]!.content, /Active projects:\n- mushroom farm in the cellar/);
});
