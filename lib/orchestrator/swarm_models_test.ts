import assert from "node:assert/strict";
import { swarmModelList } from "./swarm_models.ts";

const self = {
  node_id: "myco-a",
  hostname: "gpu-box",
  models: [{ name: "qwen2.5:14b", size_bytes: 9_000_000_000 }, { name: "gemma3:1b" }],
};

Deno.test("swarmModelList() lists this node's models first, each model once with its holders", () => {
  const models = swarmModelList(self, [
    { node_id: "myco-b", hostname: "pi", available_models: ["gemma3:1b", "phi4"] },
    { node_id: "myco-c", hostname: "nas", available_models: ["phi4"] },
  ]);
  assert.deepEqual(models.map((m) => m.name), ["qwen2.5:14b", "gemma3:1b", "phi4"]);
  assert.equal(models[0]!.size_bytes, 9_000_000_000);
  assert.equal("size_bytes" in models[2]!, false);
  assert.deepEqual(models[1]!.nodes, [
    { node_id: "myco-a", hostname: "gpu-box", self: true },
    { node_id: "myco-b", hostname: "pi", self: false },
  ]);
  assert.deepEqual(models[2]!.nodes.map((n) => n.hostname), ["pi", "nas"]);
});

Deno.test("swarmModelList() of a node alone is its own models", () => {
  assert.deepEqual(swarmModelList(self, []).map((m) => m.nodes.length), [1, 1]);
});
