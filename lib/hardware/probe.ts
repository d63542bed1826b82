/**
 * Probes this machine: GPUs, CPU, RAM, free disk and Raspberry Pi board,
 * through an injected command runner and file reader. Every probe that is
 * missing or fails leaves a note and a neutral value; nothing here throws.
 */

import type { CommandRunner, TextFileReader } from "../core/mod.ts";
import { describeOutcome, type Finding, readProbe, runProbe } from "./_run.ts";
import { parseSysctlNumber, parseVmStatAvailable } from "./parse_darwin.ts";
import { parseNvidiaSmi, parseRocmSmi, parseSystemProfiler } from "./parse_gpus.ts";
import {
  type CpuInfo,
  type MemInfo,
  parseCpuinfo,
  parseDeviceTreeModel,
  parseDfAvailable,
  parseMeminfo,
} from "./parse_proc.ts";
import type { GpuInfo, HardwareProbe } from "./types.ts";

/** The seams the probe reaches the machine through. */
export interface ProbeIo {
  /** Runs nvidia-smi, rocm-smi, system_profiler, sysctl, vm_stat and df. */
  runCommand: CommandRunner;
  /** Reads /proc files. */
  readTextFile: TextFileReader;
  /** Reported as is. */
  hostname: string;
  /** A `Deno.build.os` value: linux, darwin, windows. */
  os: string;
  /** x86_64 or aarch64. */
  arch: string;
  /** `navigator.hardwareConcurrency`, used when /proc is unreadable. */
  fallbackCores: number;
}

/** GPU tools answer in well under a second; a hung driver must not stall detection. */
const GPU_TIMEOUT_MS = 5000;
/** system_profiler is slow on its first run after boot. */
const SYSTEM_PROFILER_TIMEOUT_MS = 10000;
/** df, sysctl and vm_stat return at once. */
const SMALL_TIMEOUT_MS = 3000;

/** The GPU tools tried in order on Linux and Windows, with the args whose output they parse. */
const GPU_TOOLS = [
  {
    command: "nvidia-smi",
    args: ["--query-gpu=name,memory.total,memory.free", "--format=csv,noheader,nounits"],
    parse: parseNvidiaSmi,
    linuxOnly: false,
  },
  {
    command: "rocm-smi",
    args: ["--showproductname", "--showmeminfo", "vram", "--json"],
    parse: parseRocmSmi,
    linuxOnly: true,
  },
] as const;

/**
 * Probes the hardware, running the independent probes at the same time.
 *
 * @param options.diskPath the directory whose file system's free space counts
 */
export async function probeHardware(
  io: ProbeIo,
  options: { diskPath: string },
): Promise<HardwareProbe> {
  const darwin = io.os === "darwin";
  const memory = darwin ? probeDarwinMemory(io) : probeLinuxMemory(io);
  const [gpus, cpu, mem, disk, deviceTree] = await Promise.all([
    darwin ? probeAppleGpus(io, memory) : probeGpuTools(io),
    darwin ? probeDarwinCpu(io) : probeLinuxCpu(io),
    memory,
    probeDisk(io, options.diskPath),
    io.os === "linux" ? readProbe(io.readTextFile, "/proc/device-tree/model") : null,
  ]);
  const board = [deviceTree === null ? null : parseDeviceTreeModel(deviceTree), cpu.value.board]
    .find((model) => model?.includes("Raspberry Pi"));
  return {
    hostname: io.hostname,
    os: io.os,
    arch: io.arch,
    cpu_model: cpu.value.model ?? "unknown",
    cpu_cores: cpu.value.cores,
    ram_total_mb: mem.value?.totalMb ?? 0,
    ram_available_mb: mem.value?.availableMb ?? 0,
    gpus: gpus.value,
    disk_free_mb: disk.value,
    raspberry_pi: board ?? null,
    notes: [...gpus.notes, ...cpu.notes, ...mem.notes, ...disk.notes],
  };
}

/** nvidia-smi, then rocm-smi. A tool that is merely absent is noted only if no GPU turns up. */
async function probeGpuTools(io: ProbeIo): Promise<Finding<GpuInfo[]>> {
  const failures: string[] = [];
  const absences: string[] = [];
  for (const tool of GPU_TOOLS) {
    if (tool.linuxOnly && io.os !== "linux") continue;
    const outcome = await runProbe(io.runCommand, tool.command, tool.args, GPU_TIMEOUT_MS);
    if (outcome.kind === "ok") {
      const gpus = tool.parse(outcome.stdout);
      if (gpus.length > 0) return { value: gpus, notes: failures };
      absences.push(`${tool.command} listed no GPU`);
    } else {
      (outcome.kind === "missing" ? absences : failures).push(
        describeOutcome(tool.command, outcome),
      );
    }
  }
  return { value: [], notes: [...failures, ...absences] };
}

/** system_profiler; Apple GPUs share system memory, so this waits for the RAM probe too. */
async function probeAppleGpus(
  io: ProbeIo,
  memory: Promise<Finding<MemInfo | null>>,
): Promise<Finding<GpuInfo[]>> {
  const [outcome, mem] = await Promise.all([
    runProbe(
      io.runCommand,
      "system_profiler",
      ["SPDisplaysDataType", "-json"],
      SYSTEM_PROFILER_TIMEOUT_MS,
    ),
    memory,
  ]);
  if (outcome.kind !== "ok") {
    return { value: [], notes: [describeOutcome("system_profiler", outcome)] };
  }
  const ram = mem.value;
  const gpus = parseSystemProfiler(
    outcome.stdout,
    ram?.totalMb ?? 0,
    ram === null ? {} : { ramAvailableMb: ram.availableMb },
  );
  return { value: gpus, notes: gpus.length > 0 ? [] : ["system_profiler listed no usable GPU"] };
}

async function probeLinuxCpu(io: ProbeIo): Promise<Finding<CpuInfo>> {
  const text = await readProbe(io.readTextFile, "/proc/cpuinfo");
  const cpu = text === null ? null : parseCpuinfo(text);
  const cores = cpu !== null && cpu.cores > 0 ? cpu.cores : io.fallbackCores;
  const notes = cpu === null
    ? ["/proc/cpuinfo unreadable: CPU model unknown"]
    : cpu.model === null
    ? ["/proc/cpuinfo names no CPU model"]
    : [];
  return { value: { model: cpu?.model ?? null, cores, board: cpu?.board ?? null }, notes };
}

async function probeLinuxMemory(io: ProbeIo): Promise<Finding<MemInfo | null>> {
  const text = await readProbe(io.readTextFile, "/proc/meminfo");
  const mem = text === null ? null : parseMeminfo(text);
  return { value: mem, notes: mem === null ? ["/proc/meminfo unreadable: RAM unknown"] : [] };
}

async function probeDarwinCpu(io: ProbeIo): Promise<Finding<CpuInfo>> {
  const [brand, cores] = await Promise.all([
    sysctl(io, "machdep.cpu.brand_string"),
    sysctl(io, "hw.logicalcpu"),
  ]);
  const count = cores === null ? null : parseSysctlNumber(cores);
  const notes = brand ? [] : ["sysctl machdep.cpu.brand_string failed: CPU model unknown"];
  return { value: { model: brand || null, cores: count || io.fallbackCores, board: null }, notes };
}

async function probeDarwinMemory(io: ProbeIo): Promise<Finding<MemInfo | null>> {
  const [memsize, vmStat] = await Promise.all([
    sysctl(io, "hw.memsize"),
    runProbe(io.runCommand, "vm_stat", [], SMALL_TIMEOUT_MS),
  ]);
  const bytes = memsize === null ? null : parseSysctlNumber(memsize);
  if (bytes === null) return { value: null, notes: ["sysctl hw.memsize failed: RAM unknown"] };
  const available = vmStat.kind === "ok" ? parseVmStatAvailable(vmStat.stdout) : null;
  return {
    value: { totalMb: Math.round(bytes / (1024 * 1024)), availableMb: available ?? 0 },
    notes: available === null ? ["vm_stat failed: available RAM unknown"] : [],
  };
}

async function sysctl(io: ProbeIo, name: string): Promise<string | null> {
  const outcome = await runProbe(io.runCommand, "sysctl", ["-n", name], SMALL_TIMEOUT_MS);
  return outcome.kind === "ok" ? outcome.stdout.trim() : null;
}

/**
 * `df -Pk` on the directory, or on its nearest parent that exists: the data
 * directory is often not created yet when a node is first detected.
 */
async function probeDisk(io: ProbeIo, diskPath: string): Promise<Finding<number | null>> {
  let outcome = await runProbe(io.runCommand, "df", ["-Pk", diskPath], SMALL_TIMEOUT_MS);
  for (
    let dir = parentOf(diskPath);
    outcome.kind === "failed" && dir !== null;
    dir = parentOf(dir)
  ) {
    outcome = await runProbe(io.runCommand, "df", ["-Pk", dir], SMALL_TIMEOUT_MS);
  }
  if (outcome.kind !== "ok") {
    return { value: null, notes: [`${describeOutcome("df", outcome)}: free disk unknown`] };
  }
  const free = parseDfAvailable(outcome.stdout);
  return {
    value: free,
    notes: free === null ? ["df printed no usable row: free disk unknown"] : [],
  };
}

/** "/a/b" → "/a" → "/" → null; a relative path stops at its first segment. */
function parentOf(path: string): string | null {
  const trimmed = path.replace(/\/+$/, "");
  const slash = trimmed.lastIndexOf("/");
  if (slash < 0) return null;
  return slash === 0 ? "/" : trimmed.slice(0, slash);
}
