/**
 * A daemon whose memory database is damaged says so: `/health` and `/status` report memory
 * off with the reason, and the `mycoswarm` model's answers carry it — the `mycoswarm`
 * extension of a plain answer, the `X-Mycoswarm-Memory` header of a passed-through one.
 */

import assert from "node:assert/strict";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { overwriteRootPage } from "../testing/damaged_db.ts";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startDaemon } from "./support/run_daemon.ts";

Deno.test("a daemon on a damaged memory database says memory is off, in /health, /status and answers", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  assert.equal(
    (await runMain(["memory", "--add", "the boiler is serviced in May"], { env })).code,
    0,
  );
  await overwriteRootPage(`${dir.home}/memory.db`, "facts");
  const daemon = await startDaemon(env);
  try {
    const token = (await Deno.readTextFile(`${dir.home}/swarm-token`)).trim();
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const health = await (await fetch(`${daemon.url}/health`)).json();
    assert.equal(health.memory.state, "off");
    assert.match(health.memory.reason, /memory\.db is damaged \(.+\).*mycoswarm memory/);
    const status = await (await fetch(`${daemon.url}/status`, { headers })).json();
    assert.equal(status.memory.state, "off");

    const question = { role: "user", content: "When is the boiler serviced?" };
    const plain = await fetch(`${daemon.url}/v1/chat/completions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ model: "mycoswarm", messages: [question] }),
    });
    assert.equal(plain.status, 200);
    const answer = await plain.json();
    assert.equal(answer.mycoswarm.memory.state, "off");
    assert.match(answer.mycoswarm.memory.reason, /memory\.db is damaged/);

    const passed = await fetch(`${daemon.url}/api/chat`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        model: "mycoswarm",
        messages: [question],
        stream: false,
        options: { top_k: 20 }, // more than the pipeline's own settings: passed through
      }),
    });
    assert.equal(passed.status, 200);
    assert.match(passed.headers.get("X-Mycoswarm-Memory") ?? "", /^off; .*memory\.db is damaged/);
    await passed.body?.cancel();
  } finally {
    const stopped = await daemon.stop("SIGTERM");
    assert.match(stopped.stderr + stopped.stdout, /memory is off: .*memory\.db is damaged/);
  }
});
