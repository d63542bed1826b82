/** The shapes the hardware area speaks in: probe results, tiers and capabilities. */

/** How much a node's best GPU can run, by its VRAM. */
export type GpuTier = "ultra" | "high" | "mid" | "entry" | "none";

/** The role a node plays in the swarm, from its hardware (or MYCOSWARM_TIER). */
export type NodeTier = "executive" | "specialist" | "worker" | "light" | "edge";

/** A job a node can take on. */
export type Capability = "gpu_inference" | "cpu_inference" | "cpu_worker" | "storage";

/** One GPU; memory in MiB (called MB throughout, as nvidia-smi does). */
export interface GpuInfo {
  /** As the tool names it, e.g. "NVIDIA GeForce RTX 3090", "Apple M2 Pro". */
  name: string;
  /** Who made it. */
  vendor: "nvidia" | "amd" | "apple";
  /** Total memory; system RAM for Apple Silicon's unified memory. */
  vram_total_mb: number;
  /** Memory not in use now. */
  vram_free_mb: number;
}

/** Everything the probe found about this machine. */
export interface HardwareProbe {
  /** This machine's host name. */
  hostname: string;
  /** A `Deno.build.os` value: linux, darwin, windows. */
  os: string;
  /** x86_64 or aarch64. */
  arch: string;
  /** "unknown" when no probe could tell. */
  cpu_model: string;
  /** Logical cores. */
  cpu_cores: number;
  /** 0 when unknown. */
  ram_total_mb: number;
  /** 0 when unknown. */
  ram_available_mb: number;
  /** Every GPU found, in the tool's order; empty when none. */
  gpus: GpuInfo[];
  /** Free space where the node keeps its data; null when unknown. */
  disk_free_mb: number | null;
  /** Model string from /proc/device-tree/model, NUL stripped; null when not a Raspberry Pi. */
  raspberry_pi: string | null;
  /** What could not be probed and why, e.g. "nvidia-smi failed (exit 9): ...". */
  notes: string[];
}
