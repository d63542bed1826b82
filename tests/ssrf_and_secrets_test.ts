/**
 * A whole node (startNode, loopback, mDNS off) against two leaks to token holders: web_fetch
 * reading this node's own API when it listens on a port other than the configured one, and
 * the model server's password in /identity, /status and task errors.
 */

import assert from "node:assert/strict";
import { loadConfig } from "../lib/config/mod.ts";
import { type RunningNode, startNode } from "../lib/daemon/mod.ts";
import { postTask, type TaskInput } from "../lib/orchestrator/mod.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { fakeServer } from "../testing/fake_server.ts";
import { testDeps } from "../testing/deps.ts";

const deps = testDeps();

async function withNode(
  env: Record<string, string>,
  port: number,
  use: (node: RunningNode) => Promise<void>,
): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    const config = await loadConfig({ env: { MYCOSWARM_HOME: home, ...env } });
    const node = await startNode(config, deps, {
      port,
      bind: "127.0.0.1",
      serve: Deno.serve,
      mdns: false,
    });
    try {
      await use(node);
    } finally {
      await node.close();
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

/** Runs a task through the node API and waits for its record, as a token holder sees it. */
async function runTask(node: RunningNode, input: TaskInput): Promise<Record<string, unknown>> {
  const call = { fetch, token: node.token.value };
  const { task_id } = await postTask(node.url, input, call);
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${node.url}/task/${task_id}`, {
      headers: { authorization: `Bearer ${node.token.value}` },
    });
    const task = await response.json();
    if (task.status === "completed" || task.status === "failed") return task;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`task ${task_id} did not finish`);
}

Deno.test("web_fetch never reads the node's own API on the port it actually listens on", async () => {
  await using llm = await startFakeLlm();
  await using other = fakeServer(() =>
    new Response("another loopback page", { headers: { "Content-Type": "text/plain" } })
  );
  // Port 0: the daemon listens on a free port, not the configured 7890.
  const env = { OLLAMA_HOST: llm.url, MYCOSWARM_WEB_ALLOW_PRIVATE: "1" };
  await withNode(env, 0, async (node) => {
    const port = Number(new URL(node.url).port);
    assert.notEqual(port, 7890);
    for (const url of [`${node.url}/identity`, `http://localhost:${port}/status`]) {
      const task = await runTask(node, { task_type: "web_fetch", payload: { url } });
      assert.equal(task.status, "failed", JSON.stringify(task));
      assert.match(JSON.stringify(task.error), /own API/);
      assert.equal(task.result, null);
    }
    // allow_private still reads other loopback servers.
    const page = await runTask(node, {
      task_type: "web_fetch",
      payload: { url: `${other.url}/a` },
    });
    assert.equal(page.status, "completed", JSON.stringify(page));
    assert.equal((page.result as { text: string }).text, "another loopback page");
  });
});

Deno.test("the model server's password never shows in /identity, /status or a task's error", async () => {
  const password = "S3cret-Pa55";
  await using llm = await startFakeLlm();
  let authorized = 0;
  await using guarded = fakeServer(async (request) => {
    if (request.headers.get("authorization") !== `Basic ${btoa(`me:${password}`)}`) {
      return new Response("who are you?", { status: 401 });
    }
    authorized++;
    const url = new URL(request.url);
    if (url.pathname.endsWith("/chat") || url.pathname.endsWith("/completions")) {
      return Response.json({ error: `no GPU for ${request.url}` }, { status: 500 });
    }
    const body = request.method === "GET" ? undefined : await request.text();
    return await fetch(`${llm.url}${url.pathname}${url.search}`, {
      method: request.method,
      ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
    });
  });
  const server = `http://me:${password}@127.0.0.1:${guarded.port}/v1`;
  await withNode({ MYCOSWARM_LLM_URL: server }, 0, async (node) => {
    const headers = { authorization: `Bearer ${node.token.value}` };
    const identity = await (await fetch(`${node.url}/identity`, { headers })).text();
    const status = await (await fetch(`${node.url}/status`, { headers })).text();
    const missing = await runTask(node, {
      task_type: "inference",
      payload: { model: "no-such-model", prompt: "hi" },
    });
    const failing = await runTask(node, { task_type: "inference", payload: { prompt: "hi" } });
    const embedding = await runTask(node, {
      task_type: "embedding",
      payload: { model: "no-such-embedder", text: "hi" },
    });
    // The real URL, credentials and all, still reached the server.
    assert.ok(authorized > 0);
    assert.match(identity, /"reachable":true/);
    assert.match(identity, /me:\*\*\*@127\.0\.0\.1/);
    assert.equal(missing.status, "failed");
    assert.equal(failing.status, "failed");
    assert.match(JSON.stringify(failing.error), /HTTP 500/);
    assert.equal(embedding.status, "failed");
    const tasks = [missing, failing, embedding].map((task) => JSON.stringify(task));
    for (const shown of [identity, status, ...tasks]) {
      assert.ok(!shown.includes(password), shown);
    }
  });
});
