import assert from "node:assert/strict";
import type { CommandResult } from "../core/mod.ts";
import { capabilitiesFor, nodeTierFor } from "./classify.ts";
import { probeHardware, type ProbeIo } from "./probe.ts";

function fixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(`../../tests/fixtures/hardware/${name}`, import.meta.url));
}

const NVIDIA_SMI =
  "nvidia-smi --query-gpu=name,memory.total,memory.free --format=csv,noheader,nounits";
const ROCM_SMI = "rocm-smi --showproductname --showmeminfo vram --json";
const DISK = "/home/ada/.mycoswarm";

function ok(stdout: string): CommandResult {
  return { code: 0, stdout, stderr: "" };
}

/** A machine made of recorded outputs: commands by "command args", files by path. */
function fakeIo(
  machine: {
    commands?: Record<string, CommandResult>;
    files?: Record<string, string>;
    os?: string;
  },
) {
  const calls: { line: string; timeoutMs: number | undefined }[] = [];
  const reads: string[] = [];
  const io: ProbeIo = {
    runCommand: (command, args, options) => {
      const line = [command, ...args].join(" ");
      calls.push({ line, timeoutMs: options?.timeoutMs });
      return Promise.resolve(machine.commands?.[line] ?? null);
    },
    readTextFile: (path) => {
      reads.push(path);
      return Promise.resolve(machine.files?.[path] ?? null);
    },
    hostname: "ada",
    os: machine.os ?? "linux",
    arch: "x86_64",
    fallbackCores: 6,
  };
  return { io, calls, reads };
}

async function linuxFiles(cpuinfo: string, meminfo: string): Promise<Record<string, string>> {
  return {
    "/proc/cpuinfo": await fixture(cpuinfo),
    "/proc/meminfo": await fixture(meminfo),
  };
}

Deno.test("probeHardware() reads an RTX 3090 workstation from recorded outputs", async () => {
  const { io, calls } = fakeIo({
    commands: {
      [NVIDIA_SMI]: ok(await fixture("nvidia-smi_rtx3090.txt")),
      [`df -Pk ${DISK}`]: ok(await fixture("df-Pk_home.txt")),
    },
    files: await linuxFiles("cpuinfo_x86_4core.txt", "meminfo_32gb.txt"),
  });
  const probe = await probeHardware(io, { diskPath: DISK });
  assert.deepEqual(probe, {
    hostname: "ada",
    os: "linux",
    arch: "x86_64",
    cpu_model: "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz",
    cpu_cores: 4,
    ram_total_mb: 32026,
    ram_available_mb: 26505,
    gpus: [{
      name: "NVIDIA GeForce RTX 3090",
      vendor: "nvidia",
      vram_total_mb: 24576,
      vram_free_mb: 23000,
    }],
    disk_free_mb: 247574,
    raspberry_pi: null,
    notes: [],
  });
  assert.equal(nodeTierFor(probe), "executive");
  const nvidia = calls.find((c) => c.line === NVIDIA_SMI);
  assert.ok(nvidia?.timeoutMs !== undefined && nvidia.timeoutMs <= 5000);
  assert.ok(!calls.some((c) => c.line.startsWith("rocm-smi")), "no rocm-smi once nvidia answered");
});

Deno.test("probeHardware() falls back to rocm-smi without noting the absent nvidia-smi", async () => {
  const { io } = fakeIo({
    commands: { [ROCM_SMI]: ok(await fixture("rocm-smi_rx7900xtx.json")) },
    files: await linuxFiles("cpuinfo_x86_4core.txt", "meminfo_32gb.txt"),
  });
  const probe = await probeHardware(io, { diskPath: DISK });
  assert.deepEqual(probe.gpus.map((g) => [g.vendor, g.vram_total_mb]), [["amd", 24560], [
    "amd",
    512,
  ]]);
  assert.ok(!probe.notes.some((n) => n.includes("smi")), probe.notes.join("; "));
  assert.equal(nodeTierFor(probe), "executive");
});

Deno.test("probeHardware() notes a missing GPU tool and degrades to no GPU", async () => {
  const { io } = fakeIo({ files: await linuxFiles("cpuinfo_x86_4core.txt", "meminfo_32gb.txt") });
  const probe = await probeHardware(io, { diskPath: DISK });
  assert.deepEqual(probe.gpus, []);
  assert.ok(probe.notes.includes("nvidia-smi not available"), probe.notes.join("; "));
  assert.ok(probe.notes.includes("rocm-smi not available"), probe.notes.join("; "));
  assert.equal(nodeTierFor(probe), "light");
});

Deno.test("probeHardware() notes a failing nvidia-smi with its first error line", async () => {
  const { io } = fakeIo({
    commands: {
      [NVIDIA_SMI]: { code: 9, stdout: await fixture("nvidia-smi_driver_error.txt"), stderr: "" },
    },
    files: await linuxFiles("cpuinfo_x86_2core.txt", "meminfo_32gb.txt"),
  });
  const probe = await probeHardware(io, { diskPath: DISK });
  assert.deepEqual(probe.gpus, []);
  assert.match(probe.notes[0] ?? "", /^nvidia-smi failed \(exit 9: NVIDIA-SMI has failed/);
  assert.equal(nodeTierFor(probe), "edge");
});

Deno.test("probeHardware() recognises a Raspberry Pi 4 from its device tree", async () => {
  const { io } = fakeIo({
    commands: { [`df -Pk ${DISK}`]: ok(await fixture("df-Pk_small.txt")) },
    files: {
      ...await linuxFiles("cpuinfo_rpi4.txt", "meminfo_rpi4_4gb.txt"),
      "/proc/device-tree/model": await fixture("device-tree-model_rpi4.txt"),
    },
  });
  const probe = await probeHardware({ ...io, arch: "aarch64" }, { diskPath: DISK });
  assert.equal(probe.raspberry_pi, "Raspberry Pi 4 Model B Rev 1.4");
  assert.equal(probe.cpu_cores, 4);
  assert.equal(probe.ram_total_mb, 3793);
  assert.equal(probe.disk_free_mb, 4315);
  assert.equal(nodeTierFor(probe), "light");
  assert.deepEqual(capabilitiesFor(probe, { modelServerUp: true }), ["cpu_worker"]);
});

Deno.test("probeHardware() leaves raspberry_pi null on another ARM board", async () => {
  const { io } = fakeIo({
    files: {
      ...await linuxFiles("cpuinfo_x86_4core.txt", "meminfo_32gb.txt"),
      "/proc/device-tree/model": "NVIDIA Jetson Nano Developer Kit\0",
    },
  });
  assert.equal((await probeHardware(io, { diskPath: DISK })).raspberry_pi, null);
});

Deno.test("probeHardware() never throws when everything is missing", async () => {
  const { io } = fakeIo({});
  const probe = await probeHardware(io, { diskPath: DISK });
  assert.deepEqual({ ...probe, notes: [] }, {
    hostname: "ada",
    os: "linux",
    arch: "x86_64",
    cpu_model: "unknown",
    cpu_cores: 6,
    ram_total_mb: 0,
    ram_available_mb: 0,
    gpus: [],
    disk_free_mb: null,
    raspberry_pi: null,
    notes: [],
  });
  assert.deepEqual(probe.notes, [
    "nvidia-smi not available",
    "rocm-smi not available",
    "/proc/cpuinfo unreadable: CPU model unknown",
    "/proc/meminfo unreadable: RAM unknown",
    "df not available: free disk unknown",
  ]);
  assert.equal(nodeTierFor(probe), "light");
});

Deno.test("probeHardware() survives a runner and a reader that throw", async () => {
  const io: ProbeIo = {
    ...fakeIo({}).io,
    runCommand: () => Promise.reject(new Error("spawn exploded")),
    readTextFile: () => {
      throw new Error("read exploded");
    },
  };
  const probe = await probeHardware(io, { diskPath: DISK });
  assert.deepEqual(probe.gpus, []);
  assert.equal(probe.disk_free_mb, null);
  assert.ok(probe.notes.includes("nvidia-smi failed (spawn exploded)"), probe.notes.join("; "));
});

Deno.test("probeHardware() asks df about the nearest existing parent directory", async () => {
  const { io, calls } = fakeIo({
    commands: {
      [`df -Pk ${DISK}`]: { code: 1, stdout: "", stderr: `df: ${DISK}: No such file or directory` },
      "df -Pk /home/ada": ok(await fixture("df-Pk_home.txt")),
    },
  });
  const probe = await probeHardware(io, { diskPath: DISK });
  assert.equal(probe.disk_free_mb, 247574);
  assert.deepEqual(calls.filter((c) => c.line.startsWith("df")).map((c) => c.line), [
    `df -Pk ${DISK}`,
    "df -Pk /home/ada",
  ]);
});

Deno.test("probeHardware() uses sysctl, vm_stat and system_profiler on macOS", async () => {
  const { io, calls, reads } = fakeIo({
    os: "darwin",
    commands: {
      "sysctl -n machdep.cpu.brand_string": ok("Apple M2 Pro\n"),
      "sysctl -n hw.memsize": ok("34359738368\n"),
      "sysctl -n hw.logicalcpu": ok("12\n"),
      "vm_stat": ok(await fixture("vm_stat_m2pro.txt")),
      "system_profiler SPDisplaysDataType -json": ok(await fixture("system_profiler_m2pro.json")),
      [`df -Pk ${DISK}`]: ok(await fixture("df-Pk_home.txt")),
    },
  });
  const probe = await probeHardware({ ...io, arch: "aarch64" }, { diskPath: DISK });
  assert.equal(probe.cpu_model, "Apple M2 Pro");
  assert.equal(probe.cpu_cores, 12);
  assert.equal(probe.ram_total_mb, 32768);
  assert.equal(probe.ram_available_mb, 10048);
  assert.deepEqual(probe.gpus, [
    { name: "Apple M2 Pro", vendor: "apple", vram_total_mb: 32768, vram_free_mb: 10048 },
  ]);
  assert.deepEqual(probe.notes, []);
  assert.equal(nodeTierFor(probe), "executive");
  assert.deepEqual(reads, [], "no /proc on macOS");
  assert.ok(!calls.some((c) => c.line.startsWith("nvidia-smi")));
});

Deno.test("probeHardware() runs independent probes at the same time", async () => {
  let inFlight = 0;
  let most = 0;
  const io: ProbeIo = {
    ...fakeIo({}).io,
    runCommand: async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return null;
    },
  };
  await probeHardware(io, { diskPath: DISK });
  assert.ok(most >= 2, `at most ${most} command at a time`);
});
