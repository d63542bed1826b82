/** `MYCOSWARM_NOW`, the test-only clock: end-to-end tests move "now" through the CLI. */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";

const REFLECTION = '{"summary": "We talked about cooking pasta tonight.", "tone": "flow"}';

Deno.test("MYCOSWARM_NOW stamps a session memory with the date it names", async () => {
  await using fake = await startFakeLlm({
    reply: (messages) =>
      messages[0]?.content.includes("review a finished conversation") ? REFLECTION : "ok",
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const early = { ...env, MYCOSWARM_NOW: "2025-02-03T04:05:06Z" };
  const chat = await runMain(["chat", "-s", "a"], { env: early, stdin: "cooking pasta tonight\n" });
  assert.equal(chat.code, 0, chat.stderr);
  const late = { ...env, MYCOSWARM_NOW: String(Date.UTC(2025, 5, 7, 8, 9, 10)) };
  await runMain(["chat", "-s", "b"], { env: late, stdin: "cooking pasta tonight\n" });
  const sessions = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  const stamps = sessions.map((s: { ended_at: string }) => s.ended_at).sort();
  assert.equal(stamps.length, 2);
  assert.match(stamps[0], /^2025-02-03T04:05:/);
  assert.match(stamps[1], /^2025-06-07T08:09:/);
});

Deno.test("MYCOSWARM_NOW that is not a date-time is refused with exit 2, naming the variable", async () => {
  await using dir = await tempHome();
  const run = await runMain(["memory"], {
    env: { MYCOSWARM_HOME: dir.home, MYCOSWARM_NOW: "next tuesday" },
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /MYCOSWARM_NOW="next tuesday" is not a date-time/);
  assert.equal(run.stdout, "");
});

Deno.test("--help does not advertise MYCOSWARM_NOW (it is for tests only)", async () => {
  const run = await runMain(["--help"]);
  assert.doesNotMatch(run.stdout, /MYCOSWARM_NOW/);
});
