/**
 * How busy this machine is right now: CPU load averages and RAM, for `GET /status`.
 * Linux files first (`/proc/loadavg`, `/proc/meminfo`), then whatever the runtime offers.
 *
 * @module
 */

import type { TextFileReader } from "../core/mod.ts";
import { parseMeminfo } from "../hardware/mod.ts";

/** The machine's load. */
export interface LoadInfo {
  /** CPU load, so the router can prefer idle nodes. */
  cpu: {
    /** Run-queue averages over 1, 5 and 15 minutes; null where the system has none. */
    load_1m: number | null;
    load_5m: number | null;
    load_15m: number | null;
    cores: number;
    /** `load_1m / cores` as a percentage, capped at 100; null without load figures. */
    usage_percent: number | null;
  };
  /** Memory in MiB, null where the system does not say. */
  ram: { total_mb: number | null; available_mb: number | null; used_mb: number | null };
}

/** Where {@linkcode readLoadInfo} looks. */
export interface LoadInfoIo {
  /** Reads `/proc` files, injectable for tests. */
  readTextFile: TextFileReader;
  /** Logical CPU cores, to turn load averages into a percentage. */
  cores: number;
  /** Fallback load averages (e.g. `Deno.loadavg`); may throw. */
  loadavg?: () => readonly number[];
  /** Fallback memory figures in bytes (e.g. `Deno.systemMemoryInfo`); may throw. */
  memory?: () => { total: number; available: number };
}

/** Reads `/proc/loadavg`'s first three numbers; null when they are not there. */
export function parseLoadavg(text: string): [number, number, number] | null {
  const parts = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (parts.length < 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) return null;
  return parts as [number, number, number];
}

/** Reads the load; never throws, a figure it cannot read is null. */
export async function readLoadInfo(io: LoadInfoIo): Promise<LoadInfo> {
  const [loadText, memText] = await Promise.all([
    io.readTextFile("/proc/loadavg"),
    io.readTextFile("/proc/meminfo"),
  ]);
  const load = (loadText === null ? null : parseLoadavg(loadText)) ?? fallbackLoad(io);
  const mem = (memText === null ? null : parseMeminfo(memText)) ?? fallbackMemory(io);
  const cores = Math.max(1, io.cores);
  return {
    cpu: {
      load_1m: load?.[0] ?? null,
      load_5m: load?.[1] ?? null,
      load_15m: load?.[2] ?? null,
      cores,
      usage_percent: load === null ? null : Math.min(100, Math.round((load[0] / cores) * 100)),
    },
    ram: {
      total_mb: mem?.totalMb ?? null,
      available_mb: mem?.availableMb ?? null,
      used_mb: mem === null ? null : Math.max(0, mem.totalMb - mem.availableMb),
    },
  };
}

function fallbackLoad(io: LoadInfoIo): [number, number, number] | null {
  try {
    const values = io.loadavg?.();
    return values === undefined ? null : parseLoadavg(values.join(" "));
  } catch {
    return null;
  }
}

function fallbackMemory(io: LoadInfoIo): { totalMb: number; availableMb: number } | null {
  try {
    const info = io.memory?.();
    if (info === undefined) return null;
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    return { totalMb: mb(info.total), availableMb: mb(info.available) };
  } catch {
    return null;
  }
}
