/**
 * `swarm`, `ping`, `models`, `ask` and `chat` against two real daemons on loopback that found
 * each other over mDNS: each daemon with its own model server and models.
 */

import assert from "node:assert/strict";
import { type DaemonProcess, startDaemon } from "./support/run_daemon.ts";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { deadPort } from "./support/test_nodes.ts";

Deno.test("swarm and ping without a daemon say how to start one, exit 1", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, MYCOSWARM_PORT: String(deadPort()) };
  for (const command of ["swarm", "ping"]) {
    const run = await runMain([command], { env });
    assert.equal(run.code, 1, command);
    assert.match(
      run.stderr,
      /^mycoswarm: No mycoswarm daemon answers on http:\/\/127\.0\.0\.1:\d+: start one with `mycoswarm daemon`/,
    );
    assert.equal(run.stdout, "");
  }
});

/** Polls until `check` gives a value, for at most `ms`. */
async function waitFor<T>(ms: number, check: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function sees(daemon: DaemonProcess, token: string, nodeId: string) {
  const response = await fetch(`${daemon.url}/peers`, { headers: { "x-swarm-token": token } });
  const peers = await response.json() as { node_id: string; state: string }[];
  return peers.some((p) => p.node_id === nodeId && p.state === "alive") ? true : null;
}

Deno.test("with two daemons: swarm, ping, models list both; ask and chat go through the swarm", async () => {
  await using llmA = await startFakeLlm();
  await using llmB = await startFakeLlm({ models: [{ name: "mistral:7b" }] });
  await using a = await tempHome();
  await using b = await tempHome();
  const token = (await runMain(["token"], { env: { MYCOSWARM_HOME: a.home } })).stdout.trim();
  await runMain(["join", token], { env: { MYCOSWARM_HOME: b.home } });
  await using daemonA = await startDaemon({ MYCOSWARM_HOME: a.home, OLLAMA_HOST: llmA.url });
  await using daemonB = await startDaemon({ MYCOSWARM_HOME: b.home, OLLAMA_HOST: llmB.url });
  const idOf = async (d: DaemonProcess) => (await (await fetch(`${d.url}/health`)).json()).node_id;
  const [idA, idB] = [await idOf(daemonA), await idOf(daemonB)];
  await waitFor(8_000, () => sees(daemonA, token, idB));
  const env = { MYCOSWARM_HOME: a.home, MYCOSWARM_PORT: String(daemonA.port) };

  const swarm = await runMain(["swarm", "--json"], { env });
  assert.equal(swarm.code, 0, swarm.stderr);
  const nodes = JSON.parse(swarm.stdout).nodes;
  assert.deepEqual(nodes.map((n: { node_id: string }) => n.node_id), [idA, idB]);
  assert.equal(nodes[0].self, true);
  assert.equal(nodes[1].state, "alive");
  assert.deepEqual(nodes[1].models, ["mistral:7b"]);
  assert.deepEqual(nodes[1].load, nodes[1].load && { ...nodes[1].load, active: 0, queued: 0 });
  assert.equal(nodes[1].other_version, false);
  const table = await runMain(["swarm"], { env });
  assert.match(table.stdout, /^NAME +NODE +HARDWARE +MODELS +TIER +STATE +LOAD +LAST SEEN\n/);
  assert.match(table.stdout, new RegExp(` \\* +${idA} .* gemma3:1b \\+3 .* alive .* now\n`));
  assert.match(table.stdout, new RegExp(`${idB} .* mistral:7b .* alive .* s ago\n`));
  assert.match(table.stdout, /\* this node \(version \d+\.\d+\.\d+\)\n$/);

  const ping = await runMain(["ping", "--json", "-c", "2"], { env });
  assert.equal(ping.code, 0, ping.stderr);
  const [pinged] = JSON.parse(ping.stdout).peers;
  assert.equal(pinged.node_id, idB);
  assert.equal(pinged.times_ms.length, 2);
  assert.ok(pinged.avg_ms > 0 && pinged.avg_ms < 1000);

  const models = await runMain(["models", "--json"], { env });
  assert.equal(models.code, 0, models.stderr);
  const listed = JSON.parse(models.stdout);
  const nodesOf = (name: string) =>
    listed.models.find((m: { name: string }) => m.name === name).nodes.map((
      n: { node_id: string },
    ) => n.node_id);
  assert.deepEqual(nodesOf("mistral:7b"), [idB]);
  assert.deepEqual(nodesOf("qwen2.5:14b"), [idA]);
  assert.equal(listed.roles.chat, "qwen2.5:14b");
  const text = await runMain(["models"], { env });
  assert.match(text.stdout, /^5 models on 2 nodes \(the swarm, via the daemon on http/);

  // The model only b has: the daemon on a sends the question to b.
  const ask = await runMain(["ask", "--json", "-m", "mistral:7b", "hi"], { env });
  assert.equal(ask.code, 0, ask.stderr);
  const answer = JSON.parse(ask.stdout);
  assert.equal(answer.answer, "You said: hi. (model mistral:7b, 2 messages)");
  assert.equal(answer.node_id, idB);
  assert.ok(llmB.requests.some((r) => r.path === "/api/chat"));
  const missing = await runMain(["ask", "-m", "llama9:70b", "hi"], { env });
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /Model 'llama9:70b' \(from --model\) is on no node of the swarm/);

  const chat = await runMain(["chat", "-s", "routed"], { env, stdin: "hello\n" });
  assert.equal(chat.code, 0, chat.stderr);
  assert.match(chat.stdout, /You said: hello\. \(model qwen2\.5:14b/);
  const status = await (await fetch(`${daemonA.url}/status`, {
    headers: { "x-swarm-token": token },
  })).json();
  assert.ok(status.load.tasks.completed >= 1, "the chat answer ran as a task on a");
});
