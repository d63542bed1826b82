/**
 * Routing across hosts: three daemons, each in its own network namespace — a GPU node (a
 * fake RTX 3090 and a test model server that takes 2.5 s to its first token) and two light
 * nodes with their own model servers and search providers (a fake SearXNG). Inference sent
 * to a light node runs on the GPU node; a web search and other CPU work sent to the GPU node
 * run on a light node; a kill -9 of the node running a task
 * before any output → the task completes on another. Needs root and iproute2.
 */

import assert from "node:assert/strict";
import { netnsUnavailable } from "./support/netns.ts";
import { type LineProcess, NetnsSwarm } from "./support/netns_swarm.ts";

const unavailable = await netnsUnavailable();
if (unavailable !== null) console.log(`netns_routing_test: skipped: ${unavailable}`);

/** The client's steps, parsed. */
async function steps(client: LineProcess) {
  await client.done;
  return client.lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

Deno.test({
  name:
    "routing in network namespaces: inference → GPU node, web_search → light node, kill -9 → another",
  ignore: unavailable !== null,
  async fn() {
    await using swarm = await NetnsSwarm.start([
      { gpu: true, llm: ["--first-token-delay", "2500", "--token-delay", "5"] },
      { tier: "light", llm: ["--token-delay", "5"], web: true },
      { tier: "light", llm: ["--token-delay", "5"], web: true },
    ]);
    const [gpu, light1, light2] = swarm.nodes.map((n) => n.nodeId);
    await swarm.converge(20_000);
    const gpuRow = JSON.parse((await swarm.run(1, ["swarm", "--json"])).stdout).nodes
      .find((n: { node_id: string }) => n.node_id === gpu);
    assert.equal(gpuRow.tier, "executive");
    assert.match(gpuRow.hardware, /^RTX 3090 24 GB$/);

    // 1. Inference submitted to a light node runs on the GPU node.
    const inference = { task_type: "inference", payload: { prompt: "where do I run?" } };
    const routed = await steps(swarm.submit(1, inference));
    assert.deepEqual([routed[0].step, routed[0].node_id], ["accepted", gpu]);
    const final = routed.at(-1);
    assert.deepEqual([final.step, final.node_id, final.error], ["final", gpu, undefined]);
    const text = routed.filter((s) => s.step === "token").map((s) => s.token).join("");
    assert.match(text, /^You said: where do I run\?\. \(model qwen2\.5:14b/);

    // 2. A web search submitted to the GPU node runs on a light node, through its provider.
    const search = await steps(swarm.submit(0, {
      task_type: "web_search",
      payload: { query: "mycelium networks" },
    }));
    assert.ok([light1, light2].includes(search[0].node_id), JSON.stringify(search));
    const found = search.at(-1);
    assert.deepEqual([found.step, found.error, found.node_id], [
      "final",
      undefined,
      search[0].node_id,
    ]);
    assert.equal(found.result.provider, "searxng");
    assert.deepEqual(
      found.result.results.map((r: { title: string }) => r.title),
      ["mycelium networks guide", "mycelium networks notes", "Shared page"],
    );

    // Other CPU work (intent classification) goes to a light node too.
    const cpu = await steps(swarm.submit(0, {
      task_type: "intent_classify",
      payload: { message: "what is the weather in Paris?" },
    }));
    assert.ok([light1, light2].includes(cpu[0].node_id), JSON.stringify(cpu));
    assert.equal(cpu.at(-1).step, "final");
    assert.equal(cpu.at(-1).error, undefined);

    // 3. kill -9 of the GPU node while it waits for its first token: another node answers.
    const client = swarm.submit(1, inference);
    await client.waitFor(new RegExp(`"step":"accepted".*"node_id":"${gpu}"`), 10_000);
    await swarm.nodes[0]!.daemon.stop("SIGKILL");
    const survived = await steps(client);
    const last = survived.at(-1);
    assert.equal(last.step, "final", JSON.stringify(survived));
    assert.equal(last.error, undefined);
    assert.ok([light1, light2].includes(last.node_id), `finished on ${last.node_id}`);
    const answer = survived.filter((s) => s.step === "token").map((s) => s.token).join("");
    assert.match(answer, /^You said: where do I run\?\./);
  },
});
