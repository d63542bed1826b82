/**
 * Pure parsers for Linux system text: `/proc/meminfo`, `/proc/cpuinfo`,
 * `df -Pk` and the device-tree model. Each returns null for what it cannot
 * read instead of throwing.
 */

/** RAM from `/proc/meminfo`, in MiB. */
export interface MemInfo {
  /** MemTotal. */
  totalMb: number;
  /** MemAvailable: what can be used without swapping. */
  availableMb: number;
}

/**
 * Reads MemTotal and MemAvailable (kB) from `/proc/meminfo`; null without MemTotal.
 * Kernels before 3.14 have no MemAvailable: MemFree + Buffers + Cached stands in.
 */
export function parseMeminfo(text: string): MemInfo | null {
  const kb = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\w+):\s+(\d+)(?:\s*kB)?\s*$/.exec(line.trim());
    if (match?.[1] !== undefined) kb.set(match[1], Number(match[2]));
  }
  const total = kb.get("MemTotal");
  if (total === undefined) return null;
  const available = kb.get("MemAvailable") ??
    (kb.get("MemFree") ?? 0) + (kb.get("Buffers") ?? 0) + (kb.get("Cached") ?? 0);
  return { totalMb: Math.round(total / 1024), availableMb: Math.round(available / 1024) };
}

/** CPU facts from `/proc/cpuinfo`. */
export interface CpuInfo {
  /** null when no line names the CPU. */
  model: string | null;
  /** Logical cores: the number of "processor" lines; 0 when there are none. */
  cores: number;
  /** The board from the "Model" line Raspberry Pi kernels add; null elsewhere. */
  board: string | null;
}

/**
 * Keys that name the CPU, best first. x86 has "model name"; ARM boards have
 * none and fall back to the board ("Model"), the old 32-bit "Processor" line
 * or the SoC ("Hardware"). Case matters: "Processor" is not "processor".
 */
const CPU_MODEL_KEYS = ["model name", "Model", "Processor", "cpu model", "Hardware"];

/** Reads the CPU model and logical core count from `/proc/cpuinfo`. */
export function parseCpuinfo(text: string): CpuInfo {
  const values = new Map<string, string>();
  let cores = 0;
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === "processor") cores++;
    else if (value !== "" && !values.has(key)) values.set(key, value);
  }
  const key = CPU_MODEL_KEYS.find((k) => values.has(k));
  return {
    model: key === undefined ? null : values.get(key) ?? null,
    cores,
    board: values.get("Model") ?? null,
  };
}

/**
 * Reads the available space of the (last) data row of `df -Pk <dir>`, in MiB.
 *
 * Counts from the "NN%" capacity column backwards, so file system and mount
 * names with spaces do not shift the columns.
 */
export function parseDfAvailable(stdout: string): number | null {
  const rows = stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
  for (const row of rows.slice(1).reverse()) {
    const match = /\s(\d+)\s+(\d+)\s+(\d+)\s+\d+%(?:\s|$)/.exec(row);
    if (match) return Math.floor(Number(match[3]) / 1024);
  }
  return null;
}

/** The board name from `/proc/device-tree/model`: NUL-terminated there; null when empty. */
export function parseDeviceTreeModel(text: string): string | null {
  const model = text.replace(/\0+$/, "").trim();
  return model === "" ? null : model;
}
