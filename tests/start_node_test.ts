/**
 * startNode() in process: a whole node — identity, token, queue, router, node API, chat
 * service — on loopback with mDNS off, its chat answering through its own router without
 * calling itself over HTTP, and one idempotent close().
 */

import assert from "node:assert/strict";
import { loadConfig } from "../lib/config/mod.ts";
import { startNode } from "../lib/daemon/mod.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { testDeps } from "../testing/deps.ts";

async function setup() {
  const llm = await startFakeLlm();
  const home = await Deno.makeTempDir();
  const config = await loadConfig({ env: { MYCOSWARM_HOME: home, OLLAMA_HOST: llm.url } });
  const calls: string[] = [];
  const warnings: string[] = [];
  const deps = testDeps({
    fetch: (input, init) => {
      calls.push(new URL(input instanceof Request ? input.url : String(input)).origin);
      return fetch(input, init);
    },
    logger: {
      debug() {},
      info() {},
      warn: (m) => warnings.push(m),
      error: (m) => warnings.push(m),
    },
  });
  return {
    llm,
    config,
    deps,
    calls,
    warnings,
    async [Symbol.asyncDispose]() {
      await llm.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

Deno.test("startNode() serves the node API, and its chat answers through its own router", async () => {
  await using t = await setup();
  const node = await startNode(t.config, t.deps, {
    port: 0,
    bind: "127.0.0.1",
    serve: Deno.serve,
    mdns: false,
  });
  try {
    assert.match(node.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(node.localUrl, node.url);
    assert.equal(await Deno.readTextFile(t.config.paths.daemonUrlFile), `${node.localUrl}\n`);
    assert.equal(node.token.created, true);
    const health = await fetch(`${node.url}/health`);
    assert.equal((await health.json()).node_id, node.identity.current().node_id);

    const response = await fetch(`${node.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${node.token.value}`, "content-type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: "Tell me about fungi and spores" }],
      }),
    });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.ok(body.choices[0].message.content.length > 0);
    // The answer was a task of this node's queue, given to it by its router in process:
    assert.ok(node.queue.stats().completed >= 1);
    // and the node never called its own API.
    assert.deepEqual(t.calls.filter((origin) => origin === node.url), []);
  } finally {
    const first = node.close();
    assert.equal(node.close(), first, "close() is idempotent");
    await first;
  }
  await assert.rejects(() => Deno.stat(t.config.paths.daemonUrlFile), Deno.errors.NotFound);
  await assert.rejects(() => fetch(`${node.url}/health`));
});

Deno.test("startNode() on a port in use: one clear error, nothing left running", async () => {
  await using t = await setup();
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  await assert.rejects(
    () => startNode(t.config, t.deps, { port, bind: "127.0.0.1", serve: Deno.serve, mdns: false }),
    new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`),
  );
});
