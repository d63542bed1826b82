import assert from "node:assert/strict";
import type { NodeFacts } from "./node_facts.ts";
import { cpuScore, inferenceScore, rankNodes, requestedModel } from "./scoring.ts";

/** A node: a light CPU box unless told otherwise. */
function node(nodeId: string, facts: Partial<NodeFacts> = {}): NodeFacts {
  return {
    nodeId,
    hostname: nodeId,
    tier: "light",
    caps: ["cpu_worker"],
    vramMb: 0,
    models: [],
    modelsMore: 0,
    version: "0.1.0",
    state: "alive",
    latencyMs: null,
    local: false,
    url: `http://${nodeId}:7890`,
    ...facts,
  };
}

const GPU = node("gpu", {
  tier: "executive",
  caps: ["gpu_inference", "cpu_inference", "cpu_worker"],
  vramMb: 24576,
  models: ["qwen2.5:14b", "llama3.1:8b"],
});
const CPU_INFER = node("cpu", { caps: ["cpu_inference", "cpu_worker"], models: ["llama3.2:3b"] });
const idle = () => 0;
const ids = (ranking: ReturnType<typeof rankNodes>) => ranking.candidates.map((c) => c.node.nodeId);

Deno.test("inferenceScore() of a 24 GB executive is 1000 + 245 + 500, with reasons", () => {
  const { score, reasons } = inferenceScore(GPU, 0);
  assert.equal(score, 1745);
  assert.deepEqual(reasons, ["gpu_inference +1000", "VRAM 24576 MB +245", "executive +500"]);
  assert.equal(inferenceScore(CPU_INFER, 0).score, 50);
  assert.equal(inferenceScore(node("s", { tier: "specialist", vramMb: 16384 }), 0).score, 363);
});

Deno.test("cpuScore(): an executive's CPU score is below a light peer's", () => {
  const executive = cpuScore(GPU, 0);
  const light = cpuScore(node("light"), 0);
  assert.equal(executive.score, -400);
  assert.deepEqual(executive.reasons, ["cpu_worker +100", "executive −500"]);
  assert.equal(light.score, 150);
  assert.ok(executive.score < light.score);
  const ranked = rankNodes({ task_type: "web_search", payload: {} }, [GPU, node("light")], idle);
  assert.deepEqual(ids(ranked), ["light", "gpu"]);
  assert.equal(ranked.scoring, "cpu");
});

Deno.test("rankNodes(): a GPU peer beats a CPU peer for inference", () => {
  const ranked = rankNodes({ task_type: "inference", payload: {} }, [CPU_INFER, GPU], idle);
  assert.deepEqual(ids(ranked), ["gpu", "cpu"]);
  assert.deepEqual(ranked.candidates.map((c) => c.score), [1745, 50]);
  assert.equal(ranked.scoring, "inference");
});

Deno.test("in-flight load lowers a score by exactly 100 per task", () => {
  const light = node("light");
  assert.equal(cpuScore(light, 0).score - cpuScore(light, 1).score, 100);
  assert.equal(cpuScore(light, 0).score - cpuScore(light, 3).score, 300);
  assert.equal(inferenceScore(GPU, 0).score - inferenceScore(GPU, 1).score, 100);
  assert.deepEqual(cpuScore(light, 2).reasons, [
    "cpu_worker +100",
    "light +50",
    "2 in flight −200",
  ]);
  // Two busy light boxes: the idle one goes first.
  const load = (id: string) => (id === "a" ? 1 : 0);
  const ranked = rankNodes({ task_type: "ping", payload: {} }, [node("a"), node("b")], load);
  assert.deepEqual(ids(ranked), ["b", "a"]);
});

Deno.test("rankNodes(): a suspect peer is used only when nothing else fits", () => {
  const suspect = node("s", { state: "suspect" });
  const task = { task_type: "web_fetch" as const, payload: {} };
  const both = rankNodes(task, [suspect, node("a")], idle);
  assert.deepEqual(ids(both), ["a"]);
  assert.deepEqual(both.excluded, [{
    nodeId: "s",
    hostname: "s",
    reason: "suspect (alive nodes fit)",
  }]);
  const alone = rankNodes(task, [suspect], idle);
  assert.deepEqual(ids(alone), ["s"]);
  assert.equal(alone.candidates[0]!.reasons.at(-1), "suspect, but no alive node fits");
  const gone = rankNodes(task, [node("d", { state: "dead" }), node("l", { state: "left" })], idle);
  assert.deepEqual(ids(gone), []);
  assert.deepEqual(gone.excluded.map((e) => e.reason), ["dead", "left"]);
});

Deno.test("rankNodes() filters by capability with mycoSwarm's routing table", () => {
  const gpuOnly = node("g", { tier: "worker", caps: ["gpu_inference"], vramMb: 6144 });
  const noCaps = node("n", { tier: "edge", caps: [] });
  const all = [gpuOnly, noCaps, node("l")];
  const rank = (task_type: "web_search" | "intent_classify" | "ping" | "embedding") =>
    ids(rankNodes({ task_type, payload: {} }, all, idle));
  assert.deepEqual(rank("web_search"), ["l"]);
  assert.deepEqual(rank("intent_classify"), ["l", "g"]);
  assert.deepEqual(rank("ping"), ["l", "g", "n"]);
  assert.deepEqual(rank("embedding"), ["g"]);
  const excluded = rankNodes({ task_type: "web_search", payload: {} }, all, idle).excluded;
  assert.equal(excluded[0]!.reason, "lacks cpu_worker");
});

Deno.test("rankNodes(): a requested model goes to nodes that list it; a truncated list is a maybe", () => {
  const truncated = node("t", { ...GPU, nodeId: "t", hostname: "t", models: [], modelsMore: 40 });
  const task = { task_type: "inference" as const, payload: { model: "llama3.2" } };
  const cpu = node("c", { ...CPU_INFER, nodeId: "c", hostname: "c", models: ["llama3.2:latest"] });
  const ranked = rankNodes(task, [truncated, GPU, cpu], idle);
  // The truncated GPU box scores higher but may lack the model: the sure CPU box goes first.
  assert.deepEqual(ids(ranked), ["c", "t"]);
  assert.deepEqual(ranked.candidates.map((c) => c.model), ["listed", "maybe"]);
  assert.equal(ranked.candidates[1]!.reasons.at(-1), "llama3.2 maybe (model list truncated)");
  assert.deepEqual(ranked.excluded, [{
    nodeId: "gpu",
    hostname: "gpu",
    reason: "does not have llama3.2",
  }]);
  assert.equal(requestedModel({ task_type: "ping", payload: { model: "x" } }), null);
  assert.equal(requestedModel({ task_type: "embedding", payload: { model: "nomic" } }), "nomic");
});

Deno.test("rankNodes(): ties go to this node, then to the lower latency; latency is capped", () => {
  const here = node("z-local", { local: true, latencyMs: 0, url: null });
  const near = node("b-near", { latencyMs: 0.4 });
  const far = node("a-far", { latencyMs: 0.2 });
  assert.deepEqual(ids(rankNodes({ task_type: "ping", payload: {} }, [near, far, here], idle)), [
    "z-local",
    "a-far",
    "b-near",
  ]);
  assert.deepEqual(cpuScore(node("x", { latencyMs: 3.4 }), 0).reasons, [
    "cpu_worker +100",
    "light +50",
    "latency 3 ms −3",
  ]);
  assert.equal(cpuScore(node("x", { latencyMs: 250 }), 0).score, 50);
});
