/** Two daemons on one machine find each other over mDNS and see a clean leave. */

import assert from "node:assert/strict";
import { startDaemon } from "./support/run_daemon.ts";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";

async function peersOf(url: string, token: string): Promise<{ node_id: string; state: string }[]> {
  const response = await fetch(`${url}/peers`, { headers: { "x-swarm-token": token } });
  return await response.json();
}

/** Polls `check` every 100 ms for at most `ms`; returns what it last gave. */
async function waitFor<T>(ms: number, check: () => Promise<T | null>): Promise<T | null> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

Deno.test("daemons with the same token discover each other; a stopped one is seen to leave", async () => {
  await using fake = await startFakeLlm();
  await using a = await tempHome();
  await using b = await tempHome();
  const token = (await runMain(["token"], { env: { MYCOSWARM_HOME: a.home } })).stdout.trim();
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.equal((await runMain(["join", token], { env: { MYCOSWARM_HOME: b.home } })).code, 0);
  await using first = await startDaemon({ MYCOSWARM_HOME: a.home, OLLAMA_HOST: fake.url });
  const second = await startDaemon({ MYCOSWARM_HOME: b.home, OLLAMA_HOST: fake.url });
  const secondId = (await (await fetch(`${second.url}/health`)).json()).node_id;
  try {
    const seen = await waitFor(5_000, async () => {
      const peers = await peersOf(first.url, token);
      return peers.find((p) => p.node_id === secondId && p.state === "alive") ?? null;
    });
    assert.ok(seen, "the first daemon sees the second within 5 s");
  } finally {
    await second.stop("SIGTERM");
  }
  const left = await waitFor(2_000, async () => {
    const peers = await peersOf(first.url, token);
    return peers.find((p) => p.node_id === secondId && p.state === "left") ?? null;
  });
  assert.ok(left, "the goodbye is seen within 2 s");
});

Deno.test("commands find a daemon started on a free port (--port 0) through daemon-url", async () => {
  await using fake = await startFakeLlm();
  await using home = await tempHome();
  const daemon = await startDaemon({ MYCOSWARM_HOME: home.home, OLLAMA_HOST: fake.url });
  try {
    assert.equal(
      (await Deno.readTextFile(`${home.home}/daemon-url`)).trim(),
      `http://127.0.0.1:${daemon.port}`,
    );
    const swarm = await runMain(["swarm", "--json"], { env: { MYCOSWARM_HOME: home.home } });
    assert.equal(swarm.code, 0, swarm.stderr);
  } finally {
    await daemon.stop("SIGTERM");
  }
  const gone = await Deno.stat(`${home.home}/daemon-url`).then(() => true, () => false);
  assert.equal(gone, false, "a stopped daemon removes its daemon-url");
});

Deno.test("with MYCOSWARM_MDNS=0 a daemon sends no multicast and still finds its static peer", async () => {
  await using fake = await startFakeLlm();
  await using a = await tempHome();
  await using b = await tempHome();
  const token = (await runMain(["token"], { env: { MYCOSWARM_HOME: a.home } })).stdout.trim();
  assert.equal((await runMain(["join", token], { env: { MYCOSWARM_HOME: b.home } })).code, 0);
  const off = { OLLAMA_HOST: fake.url, MYCOSWARM_MDNS: "0" };
  const second = await startDaemon({ ...off, MYCOSWARM_HOME: b.home });
  const first = await startDaemon({
    ...off,
    MYCOSWARM_HOME: a.home,
    MYCOSWARM_PEERS: `127.0.0.1:${second.port}`,
  });
  const secondId = (await (await fetch(`${second.url}/health`)).json()).node_id;
  try {
    const seen = await waitFor(5_000, async () => {
      const peers = await peersOf(first.url, token);
      return peers.find((p) => p.node_id === secondId && p.state === "alive") ?? null;
    });
    assert.ok(seen, "the static peer is polled and alive");
  } finally {
    await second.stop("SIGTERM");
  }
  const { code, stderr } = await first.stop("SIGTERM");
  assert.equal(code, 0);
  assert.match(stderr, /mDNS is off: discovery uses static peers only/);
});
