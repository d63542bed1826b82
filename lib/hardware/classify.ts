/**
 * Pure classification of a probe result: GPU tier, node tier, capabilities,
 * and the MYCOSWARM_TIER override.
 */

import { createError } from "../core/mod.ts";
import type { Capability, GpuInfo, GpuTier, HardwareProbe, NodeTier } from "./types.ts";

/** The GPU tiers by minimum total VRAM in MB, largest first. */
const GPU_TIER_FLOORS: readonly (readonly [GpuTier, number])[] = [
  ["ultra", 20000], // 24 GB cards: 30B+ models quantized
  ["high", 14000], // 16 GB cards
  ["mid", 7000], // 8 and 12 GB cards: 7B-14B models
  ["entry", 3500], // 4 and 6 GB cards: small models only
];

/** Below this a machine is too small to run a model on its CPU. */
const CPU_INFERENCE_MIN_RAM_MB = 4096;
/** Free disk a node needs to offer storage: 5 GB. */
const STORAGE_MIN_FREE_MB = 5120;

/** The GPU tier for a card with `vramTotalMb` of memory. */
export function gpuTierFor(vramTotalMb: number): GpuTier {
  return GPU_TIER_FLOORS.find(([, floor]) => vramTotalMb >= floor)?.[0] ?? "none";
}

/** The GPU with the most total VRAM (the first of equals); null when there is none. */
export function bestGpu(gpus: readonly GpuInfo[]): GpuInfo | null {
  let best: GpuInfo | null = null;
  for (const gpu of gpus) {
    if (best === null || gpu.vram_total_mb > best.vram_total_mb) best = gpu;
  }
  return best;
}

/** The GPU tier of the best GPU, or "none". */
function bestGpuTier(gpus: readonly GpuInfo[]): GpuTier {
  const best = bestGpu(gpus);
  return best === null ? "none" : gpuTierFor(best.vram_total_mb);
}

/**
 * The node tier from the best GPU, or from the CPU when no GPU qualifies.
 *
 * @example
 * ```ts
 * nodeTierFor({ gpus: [], cpu_cores: 4 }); // "light"
 * ```
 */
export function nodeTierFor(probe: Pick<HardwareProbe, "gpus" | "cpu_cores">): NodeTier {
  switch (bestGpuTier(probe.gpus)) {
    case "ultra":
      return "executive";
    case "high":
    case "mid":
      return "specialist";
    case "entry":
      return "worker";
    case "none":
      return probe.cpu_cores >= 4 ? "light" : "edge";
  }
}

/**
 * What a node can do. Inference needs a model server: without one a GPU
 * keeps its tier but offers no inference.
 */
export function capabilitiesFor(
  probe: Pick<HardwareProbe, "gpus" | "cpu_cores" | "ram_total_mb" | "disk_free_mb">,
  options: {
    /** Whether the model server answered. */
    modelServerUp: boolean;
  },
): Capability[] {
  const capabilities: Capability[] = [];
  const { modelServerUp } = options;
  if (modelServerUp && bestGpuTier(probe.gpus) !== "none") capabilities.push("gpu_inference");
  if (modelServerUp && probe.ram_total_mb >= CPU_INFERENCE_MIN_RAM_MB && probe.cpu_cores >= 2) {
    capabilities.push("cpu_inference");
  }
  if (probe.cpu_cores >= 2) capabilities.push("cpu_worker");
  if (probe.disk_free_mb !== null && probe.disk_free_mb >= STORAGE_MIN_FREE_MB) {
    capabilities.push("storage");
  }
  return capabilities;
}

/** Every node tier, best first. */
export const NODE_TIERS: readonly NodeTier[] = [
  "executive",
  "specialist",
  "worker",
  "light",
  "edge",
];

/**
 * Reads a MYCOSWARM_TIER (or `[node] tier`) value, in any case.
 *
 * @throws {MycoError} `config_invalid` naming the value and the valid tiers.
 */
export function parseTierOverride(value: string): NodeTier {
  const wanted = value.trim().toLowerCase();
  const tier = NODE_TIERS.find((t) => t === wanted);
  if (tier === undefined) {
    throw createError(
      "config_invalid",
      `Unknown node tier "${value}" in MYCOSWARM_TIER or [node] tier: use one of ${
        NODE_TIERS.join(", ")
      }`,
    );
  }
  return tier;
}
