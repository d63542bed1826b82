/**
 * This machine's hardware: probes (GPUs through nvidia-smi, rocm-smi or
 * system_profiler; CPU, RAM, disk and Raspberry Pi board) run through an
 * injected command runner and file reader, and pure classification into GPU
 * tier, node tier and capabilities.
 *
 * @example
 * ```ts
 * import { nodeTierFor } from "./mod.ts";
 * const rtx3090 = { name: "RTX 3090", vendor: "nvidia", vram_total_mb: 24576, vram_free_mb: 23000 } as const;
 * nodeTierFor({ gpus: [rtx3090], cpu_cores: 16 }); // "executive"
 * ```
 *
 * @module
 */
export {
  bestGpu,
  capabilitiesFor,
  gpuTierFor,
  nodeTierFor,
  parseTierOverride,
} from "./classify.ts";
export { parseMeminfo } from "./parse_proc.ts";
export type { MemInfo } from "./parse_proc.ts";
export { probeHardware } from "./probe.ts";
export type { ProbeIo } from "./probe.ts";
export type { Capability, GpuInfo, GpuTier, HardwareProbe, NodeTier } from "./types.ts";
