import assert from "node:assert/strict";
import { buildTxt, type Peer } from "../discovery/mod.ts";
import { localFacts, peerFacts } from "./node_facts.ts";

const txt = buildTxt({
  nodeId: "myco-00000000000b",
  tier: "executive",
  gpuTier: "ultra",
  caps: ["gpu_inference", "cpu_worker"],
  gpu: "RTX 3090",
  vramMb: 24576,
  models: ["qwen2.5:14b"],
  version: "0.1.0",
  apiPort: 7890,
}, { now: Date.UTC(2026, 0, 1) });

function peer(extra: Partial<Peer> = {}): Peer {
  return {
    nodeId: "myco-00000000000b",
    instance: "myco-00000000000b._mycoswarm._tcp.local",
    hostname: "gpu-box",
    addresses: ["10.0.0.2"],
    port: 7891,
    txt,
    state: "alive",
    stateSince: 0,
    lastSeen: 0,
    ttl: 120,
    failures: 0,
    latencyMs: 1.5,
    ...extra,
  };
}

Deno.test("peerFacts() reads the signed TXT; the URL comes from the address and SRV port", () => {
  assert.deepEqual(peerFacts(peer()), {
    nodeId: "myco-00000000000b",
    hostname: "gpu-box",
    tier: "executive",
    caps: ["gpu_inference", "cpu_worker"],
    vramMb: 24576,
    models: ["qwen2.5:14b"],
    modelsMore: 0,
    version: "0.1.0",
    state: "alive",
    latencyMs: 1.5,
    local: false,
    url: "http://10.0.0.2:7891",
  });
  assert.equal(peerFacts(peer({ txt: { tier: "light" } })), null, "an unreadable TXT");
});

Deno.test("localFacts() takes the largest GPU and every model", () => {
  const facts = localFacts({
    node_id: "myco-00000000000a",
    hostname: "box",
    node_tier: "specialist",
    capabilities: ["gpu_inference"],
    gpus: [{ vram_total_mb: 8192 }, { vram_total_mb: 16384 }],
    models: [{ name: "a" }, { name: "b" }],
    version: "0.1.0",
  });
  assert.deepEqual(
    [facts.vramMb, facts.models, facts.local, facts.url, facts.latencyMs],
    [16384, ["a", "b"], true, null, 0],
  );
});
