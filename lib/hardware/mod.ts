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
export * from "./types.ts";
export * from "./parse_gpus.ts";
export * from "./parse_proc.ts";
export * from "./parse_darwin.ts";
export * from "./probe.ts";
export * from "./classify.ts";
