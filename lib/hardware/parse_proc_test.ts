import assert from "node:assert/strict";
import {
  parseCpuinfo,
  parseDeviceTreeModel,
  parseDfAvailable,
  parseMeminfo,
} from "./parse_proc.ts";

function fixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(`../../tests/fixtures/hardware/${name}`, import.meta.url));
}

Deno.test("parseMeminfo() reads MemTotal and MemAvailable as MB", async () => {
  assert.deepEqual(parseMeminfo(await fixture("meminfo_32gb.txt")), {
    totalMb: 32026,
    availableMb: 26505,
  });
  assert.deepEqual(parseMeminfo(await fixture("meminfo_rpi4_4gb.txt")), {
    totalMb: 3793,
    availableMb: 3242,
  });
});

Deno.test("parseMeminfo() falls back to free + buffers + cached on old kernels", async () => {
  assert.deepEqual(parseMeminfo(await fixture("meminfo_old_kernel.txt")), {
    totalMb: 2000,
    availableMb: 1000,
  });
});

Deno.test("parseMeminfo() gives null without MemTotal", () => {
  assert.equal(parseMeminfo(""), null);
  assert.equal(parseMeminfo("MemFree: 1024 kB\ngarbage"), null);
});

Deno.test("parseCpuinfo() reads the model and counts processors on a 4-core x86", async () => {
  assert.deepEqual(parseCpuinfo(await fixture("cpuinfo_x86_4core.txt")), {
    model: "Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz",
    cores: 4,
    board: null,
  });
});

Deno.test("parseCpuinfo() counts 2 cores on a 2-core x86", async () => {
  const cpu = parseCpuinfo(await fixture("cpuinfo_x86_2core.txt"));
  assert.equal(cpu.cores, 2);
  assert.equal(cpu.model, "Intel(R) Celeron(R) CPU G3930 @ 2.90GHz");
});

Deno.test("parseCpuinfo() falls back to the board model on a Raspberry Pi 4", async () => {
  assert.deepEqual(parseCpuinfo(await fixture("cpuinfo_rpi4.txt")), {
    model: "Raspberry Pi 4 Model B Rev 1.4",
    cores: 4,
    board: "Raspberry Pi 4 Model B Rev 1.4",
  });
});

Deno.test("parseCpuinfo() tells 32-bit ARM's Processor line from processor lines", () => {
  const text = "Processor\t: ARMv7 Processor rev 4 (v7l)\nprocessor\t: 0\nprocessor\t: 1\n" +
    "Hardware\t: BCM2709\n";
  assert.deepEqual(parseCpuinfo(text), {
    model: "ARMv7 Processor rev 4 (v7l)",
    cores: 2,
    board: null,
  });
  assert.equal(
    parseCpuinfo("processor : 0\nHardware : Qualcomm SDM845\n").model,
    "Qualcomm SDM845",
  );
});

Deno.test("parseCpuinfo() gives no model and 0 cores for empty text", () => {
  assert.deepEqual(parseCpuinfo(""), { model: null, cores: 0, board: null });
});

Deno.test("parseDfAvailable() reads the Available column as MB", async () => {
  assert.equal(parseDfAvailable(await fixture("df-Pk_home.txt")), 247574);
  assert.equal(parseDfAvailable(await fixture("df-Pk_small.txt")), 4315);
});

Deno.test("parseDfAvailable() copes with spaces in file system and mount names", () => {
  const stdout = "Filesystem 1024-blocks Used Available Capacity Mounted on\n" +
    "//nas/my share  1000000  400000  600000  40% /mnt/my share\n";
  assert.equal(parseDfAvailable(stdout), 585);
});

Deno.test("parseDfAvailable() gives null without a data row", () => {
  assert.equal(parseDfAvailable(""), null);
  assert.equal(
    parseDfAvailable("Filesystem 1024-blocks Used Available Capacity Mounted on\n"),
    null,
  );
  assert.equal(parseDfAvailable("header\ndf: /nope: No such file or directory\n"), null);
});

Deno.test("parseDeviceTreeModel() strips the trailing NUL", async () => {
  const raw = await fixture("device-tree-model_rpi4.txt");
  assert.ok(raw.endsWith("\0"));
  assert.equal(parseDeviceTreeModel(raw), "Raspberry Pi 4 Model B Rev 1.4");
  assert.equal(parseDeviceTreeModel("\0"), null);
  assert.equal(parseDeviceTreeModel(""), null);
});
