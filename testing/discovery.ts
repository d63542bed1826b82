/**
 * Discovery test data: a swarm token, a start time, a node's TXT input and an advertisement.
 *
 * @module
 */
import type { NodeTxtInput } from "../lib/discovery/mod.ts";
import type { Advertisement } from "../lib/discovery/service_records.ts";

/** A swarm token: 32 bytes as 64 hex digits. */
export const TOKEN = "0123456789abcdef".repeat(4);

/** A fixed start time, ms (2023-11-14T22:13:20Z). */
export const T0 = 1_700_000_000_000;

/** A node as `buildTxt` takes it. */
export const NODE: NodeTxtInput = {
  nodeId: "myco-0123456789ab",
  tier: "executive",
  gpuTier: "high",
  caps: ["gpu_inference", "cpu_worker"],
  gpu: "NVIDIA GeForce RTX 3090",
  vramMb: 24576,
  models: ["llama3.1:8b", "nomic-embed-text:latest"],
  version: "0.1.0",
  apiPort: 7890,
};

/** An advertisement with plain (unsigned) TXT fields. */
export function advertisement(overrides: Partial<Advertisement> = {}): Advertisement {
  return {
    nodeId: "myco-0123456789ab",
    hostname: "gpu-box",
    addresses: ["10.0.0.2", "192.168.1.20"],
    port: 7890,
    txt: { node_id: "myco-0123456789ab", tier: "executive", port: "7890" },
    ...overrides,
  };
}
