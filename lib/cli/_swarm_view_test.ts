import assert from "node:assert/strict";
import type { PeerJson, StatusJson } from "../orchestrator/mod.ts";
import { renderSwarm, swarmRows } from "./_swarm_view.ts";

const NOW = Date.UTC(2026, 0, 1, 12);

function status(extra: Record<string, unknown> = {}): StatusJson {
  return {
    node_id: "myco-00000000000a",
    hostname: "gpu-box",
    version: "0.1.0",
    node_tier: "executive",
    cpu_cores: 16,
    ram_total_mb: 65536,
    gpus: [{
      name: "NVIDIA GeForce RTX 3090",
      vendor: "nvidia",
      vram_total_mb: 24576,
      vram_free_mb: 0,
    }],
    models: [{ name: "qwen2.5:14b", role: "chat", roles: ["chat"] }, {
      name: "gemma3:1b",
      role: "gate",
      roles: [],
    }],
    load: { tasks: { queued: 1, active: 2 }, cpu: { usage_percent: 37.4 } },
    ...extra,
  } as StatusJson;
}

function peer(extra: Partial<PeerJson>): PeerJson {
  return {
    node_id: "myco-00000000000b",
    hostname: "pi",
    ip: "10.0.0.3",
    addresses: ["10.0.0.3"],
    port: 7890,
    state: "alive",
    node_tier: "light",
    gpu_tier: "none",
    capabilities: ["cpu_worker"],
    gpu_name: null,
    vram_total_mb: null,
    available_models: [],
    version: "0.1.0",
    last_seen: new Date(NOW - 4_000).toISOString(),
    latency_ms: 0.8,
    failures: 0,
    ...extra,
  };
}

Deno.test("swarmRows() and renderSwarm(): this node first, loads, states and another version", () => {
  const piStatus = status({
    node_id: "myco-00000000000b",
    hostname: "pi",
    node_tier: "light",
    cpu_cores: 4,
    ram_total_mb: 8192,
    gpus: [],
    models: [],
    load: { tasks: { queued: 0, active: 0 }, cpu: { usage_percent: null } },
  });
  const peers = [
    peer({}),
    peer({
      node_id: "myco-00000000000c",
      hostname: "old-box",
      state: "dead",
      version: "0.0.9",
      available_models: ["llama3.2:3b"],
      last_seen: new Date(NOW - 300_000).toISOString(),
    }),
  ];
  const rows = swarmRows(status(), peers, new Map([["myco-00000000000b", piStatus]]), NOW);
  assert.deepEqual(rows.map((r) => [r.hostname, r.self, r.other_version, r.last_seen_seconds]), [
    ["gpu-box", true, false, 0],
    ["pi", false, false, 4],
    ["old-box", false, true, 300],
  ]);
  assert.equal(rows[1]!.address, "10.0.0.3:7890");
  assert.equal(
    renderSwarm(rows),
    "NAME       NODE               HARDWARE           MODELS          TIER       STATE  LOAD                    LAST SEEN\n" +
      "gpu-box *  myco-00000000000a  RTX 3090 24 GB     qwen2.5:14b +1  executive  alive  2 run, 1 wait, cpu 37%  now\n" +
      "pi         myco-00000000000b  4 cores, 8 GB RAM  -               light      alive  0 run, 0 wait           4 s ago\n" +
      "old-box !  myco-00000000000c  ?                  llama3.2:3b     light      dead   ?                       5 min ago\n" +
      "* this node (version 0.1.0); ! another version: old-box 0.0.9\n",
  );
});
