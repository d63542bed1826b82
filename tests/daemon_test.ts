/** `mycoswarm daemon` as a subprocess: the node API over a real socket, auth, shutdown. */

import assert from "node:assert/strict";
import { startDaemon } from "./support/run_daemon.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { runMain, tempHome } from "./support/run_cli.ts";

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test("daemon serves the node API behind the token and stops on SIGTERM with exit 0", async () => {
  await using llm = await startFakeLlm();
  await using dir = await tempHome();
  await using daemon = await startDaemon({ MYCOSWARM_HOME: dir.home, OLLAMA_HOST: llm.url });
  const tokenFile = `${dir.home}/swarm-token`;
  assert.match(daemon.stdout(), /^mycoswarm daemon myco-[0-9a-f]{12} \(\w+\) listening on/);
  assert.match(daemon.stdout(), new RegExp(`swarm token: ${tokenFile} \\(created now\\)`));
  assert.equal(await mode(tokenFile), 0o600);
  const token = (await Deno.readTextFile(tokenFile)).trim();

  const health = await fetch(`${daemon.url}/health`);
  assert.equal(health.status, 200);
  const body = await health.json();
  assert.equal(body.status, "ok");
  assert.match(body.node_id, /^myco-/);

  const none = await fetch(`${daemon.url}/status`);
  assert.equal(none.status, 401);
  assert.equal((await none.json()).error.code, "unauthorized");
  const wrong = await fetch(`${daemon.url}/status`, {
    headers: { "X-Swarm-Token": "0".repeat(64) },
  });
  assert.equal(wrong.status, 403);
  await wrong.body?.cancel();
  const bearer = await fetch(`${daemon.url}/status`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(bearer.status, 200);
  const status = await bearer.json();
  assert.equal(status.node_id, body.node_id);
  assert.equal(status.load.tasks.concurrency, 2);

  const headers = { "X-Swarm-Token": token, "Content-Type": "application/json" };
  const posted = await fetch(`${daemon.url}/task`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      task_type: "inference",
      payload: { model: "llama3.2:3b", prompt: "over the wire" },
    }),
  });
  assert.equal(posted.status, 202);
  const { task_id } = await posted.json();
  const stream = await (await fetch(`${daemon.url}/task/${task_id}/stream`, { headers })).text();
  const events = stream.trim().split("\n\n").map((e) => JSON.parse(e.replace(/^data: /, "")));
  assert.equal(
    events.filter((e) => !e.done).map((e) => e.token).join(""),
    "You said: over the wire. (model llama3.2:3b, 1 messages)",
  );
  assert.equal(events.at(-1).model, "llama3.2:3b");

  const stopped = await daemon.stop("SIGTERM");
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, /SIGTERM: stopping\nstopped\n$/);
});

Deno.test("daemon stops on SIGINT mid-stream: the stream ends with an error event, exit 0", async () => {
  await using llm = await startFakeLlm({ tokenDelayMs: 200 });
  await using dir = await tempHome();
  await using daemon = await startDaemon({ MYCOSWARM_HOME: dir.home, OLLAMA_HOST: llm.url });
  const token = (await Deno.readTextFile(`${dir.home}/swarm-token`)).trim();
  const headers = { "X-Swarm-Token": token };
  const posted = await fetch(`${daemon.url}/task`, {
    method: "POST",
    headers,
    body: JSON.stringify({ task_type: "inference", payload: { prompt: "a long answer please" } }),
  });
  const { task_id } = await posted.json();
  const res = await fetch(`${daemon.url}/task/${task_id}/stream`, { headers });
  const text = res.text();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const stopped = await daemon.stop("SIGINT");
  assert.equal(stopped.code, 0, stopped.stderr);
  const last = JSON.parse((await text).trim().split("\n\n").at(-1)!.replace(/^data: /, ""));
  assert.equal(last.done, true);
  assert.match(last.error, /shut down during the task/);
});

Deno.test("daemon on a port in use says so in one line, exit 1", async () => {
  await using dir = await tempHome();
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = String(busy.addr.port);
  const run = await runMain(["daemon", "--port", port, "--bind", "127.0.0.1"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: "127.0.0.1:9" },
  });
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    `mycoswarm: port ${port} on 127.0.0.1 is already in use (another mycoswarm daemon?): ` +
      "stop it, or pick another port with --port\n",
  );
  assert.equal(run.stdout, "");
});

Deno.test("daemon refuses a bad --port with exit 2", async () => {
  await using dir = await tempHome();
  for (const port of ["http", "70000", "-1"]) {
    const run = await runMain(["daemon", "--port", port], { env: { MYCOSWARM_HOME: dir.home } });
    assert.equal(run.code, 2, port);
    assert.match(
      run.stderr,
      /daemon: (--port must be a whole number from 0 to 65535|flag '--port' needs a value)/,
    );
  }
});

Deno.test("daemon warns about a token file others can read, and keeps using it", async () => {
  await using dir = await tempHome();
  const tokenFile = `${dir.home}/swarm-token`;
  await Deno.writeTextFile(tokenFile, `${"ab".repeat(32)}\n`);
  await Deno.chmod(tokenFile, 0o644);
  await using daemon = await startDaemon({ MYCOSWARM_HOME: dir.home, OLLAMA_HOST: "127.0.0.1:9" });
  assert.doesNotMatch(daemon.stdout(), /created now/);
  const res = await fetch(`${daemon.url}/identity`, {
    headers: { "X-Swarm-Token": "ab".repeat(32) },
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  const stopped = await daemon.stop();
  assert.equal(stopped.code, 0);
  assert.match(
    stopped.stderr,
    /swarm-token can be read by other users \(mode 0644\): run chmod 600/,
  );
  assert.equal(await mode(tokenFile), 0o644);
});
