/**
 * Pure parsers for what GPU tools print: nvidia-smi CSV, rocm-smi JSON and
 * macOS system_profiler JSON. Each returns the GPUs it understood and never
 * throws: a broken or unexpected output means "no GPU", not a crash.
 */

import type { GpuInfo } from "./types.ts";

const MIB = 1024 * 1024;

/**
 * Parses `nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits`.
 *
 * One GPU per line; `[N/A]` memory counts as 0; lines that are not
 * `name, total, free` (driver errors, "No devices were found") are skipped.
 *
 * @example
 * ```ts
 * parseNvidiaSmi("NVIDIA GeForce RTX 3090, 24576, 23000\n");
 * // [{ name: "NVIDIA GeForce RTX 3090", vendor: "nvidia", vram_total_mb: 24576, vram_free_mb: 23000 }]
 * ```
 */
export function parseNvidiaSmi(stdout: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const fields = line.split(",").map((field) => field.trim());
    if (fields.length < 3) continue;
    const free = nvidiaMib(fields.pop() ?? "");
    const total = nvidiaMib(fields.pop() ?? "");
    const name = fields.join(", ");
    if (free === null || total === null || name === "") continue;
    gpus.push({ name, vendor: "nvidia", vram_total_mb: total, vram_free_mb: free });
  }
  return gpus;
}

/** A memory field in MiB; 0 for `[N/A]`; null when it is not a number at all. */
function nvidiaMib(field: string): number | null {
  if (/^\[?N\/A\]?$/i.test(field)) return 0;
  const match = /^(\d+(?:\.\d+)?)(?:\s*MiB)?$/i.exec(field);
  return match ? Math.round(Number(match[1])) : null;
}

/** Name keys of `rocm-smi --showproductname`, best first; the case differs across versions. */
const ROCM_NAME_KEYS = ["card series", "device name", "card model", "card sku"];

/**
 * Parses `rocm-smi --showproductname --showmeminfo vram --json`: one object per
 * `cardN` key, with VRAM in bytes as strings ("VRAM Total Memory (B)").
 */
export function parseRocmSmi(stdout: string): GpuInfo[] {
  const parsed = parseJson(stdout);
  if (!isRecord(parsed)) return [];
  const cards = Object.entries(parsed)
    .map(([key, value]) => ({ index: /^card(\d+)$/i.exec(key)?.[1], key, value }))
    .filter((card) => card.index !== undefined && isRecord(card.value))
    .sort((a, b) => Number(a.index) - Number(b.index));
  return cards.map(({ key, value }) => {
    const fields = new Map(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const name = ROCM_NAME_KEYS.map((k) => fields.get(k))
      .find((v): v is string =>
        typeof v === "string" && v.trim() !== "" && !/^0x[0-9a-f]+$/i.test(v)
      );
    const total = bytesToMib(fields.get("vram total memory (b)"));
    const used = bytesToMib(fields.get("vram total used memory (b)"));
    return {
      name: name?.trim() ?? `AMD GPU (${key})`,
      vendor: "amd" as const,
      vram_total_mb: total,
      vram_free_mb: Math.max(0, total - used),
    };
  });
}

function bytesToMib(value: unknown): number {
  const bytes = typeof value === "number" ? value : Number(String(value ?? "").trim());
  return Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes / MIB) : 0;
}

/**
 * Parses `system_profiler SPDisplaysDataType -json`.
 *
 * Apple Silicon shares memory between CPU and GPU, so its GPU gets the
 * system RAM as total and the available RAM as free. A discrete GPU on an
 * Intel Mac reports `spdisplays_vram` ("8 GB"); macOS does not say how much
 * of it is in use, so free is reported as the total. Intel integrated
 * graphics are skipped: they cannot run models.
 *
 * @param ramTotalMb system RAM, the Apple GPU's total
 */
export function parseSystemProfiler(
  stdout: string,
  ramTotalMb: number,
  options: {
    /** Available system RAM, the Apple GPU's free memory. @default ramTotalMb */
    ramAvailableMb?: number;
  } = {},
): GpuInfo[] {
  const parsed = parseJson(stdout);
  const displays = isRecord(parsed) ? parsed["SPDisplaysDataType"] : undefined;
  if (!Array.isArray(displays)) return [];
  const gpus: GpuInfo[] = [];
  for (const display of displays) {
    if (!isRecord(display)) continue;
    const name = [display["sppci_model"], display["_name"]]
      .find((v): v is string => typeof v === "string" && v.trim() !== "")?.trim();
    if (name === undefined) continue;
    const vendorField = String(display["spdisplays_vendor"] ?? "").toLowerCase();
    const vendor = gpuVendor(`${vendorField} ${name.toLowerCase()}`);
    if (vendor === "apple") {
      const free = options.ramAvailableMb ?? ramTotalMb;
      gpus.push({ name, vendor, vram_total_mb: ramTotalMb, vram_free_mb: free });
    } else if (vendor !== null) {
      const vram = sizeToMib(display["spdisplays_vram"] ?? display["_spdisplays_vram"]);
      gpus.push({ name, vendor, vram_total_mb: vram, vram_free_mb: vram });
    }
  }
  return gpus;
}

function gpuVendor(text: string): GpuInfo["vendor"] | null {
  // Not `\b`: the vendor field reads "sppci_vendor_Apple", and `_` is a word character.
  if (/(?<![a-z])apple(?![a-z])/.test(text)) return "apple";
  if (/(?<![a-z])(amd|ati|radeon)(?![a-z])/.test(text)) return "amd";
  if (/(?<![a-z])(nvidia|geforce|quadro)(?![a-z])/.test(text)) return "nvidia";
  return null;
}

/** "8 GB" → 8192, "1536 MB" → 1536, anything else → 0. */
function sizeToMib(value: unknown): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(GB|MB)\s*$/i.exec(String(value ?? ""));
  if (!match) return 0;
  const amount = Number(match[1]);
  return Math.round(match[2]?.toUpperCase() === "GB" ? amount * 1024 : amount);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
