import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import {
  bestGpu,
  capabilitiesFor,
  gpuTierFor,
  nodeTierFor,
  parseTierOverride,
} from "./classify.ts";
import { parseNvidiaSmi } from "./parse_gpus.ts";
import { parseCpuinfo } from "./parse_proc.ts";
import type { GpuInfo } from "./types.ts";

function fixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(`../../tests/fixtures/hardware/${name}`, import.meta.url));
}

function gpu(vramTotalMb: number, name = `GPU ${vramTotalMb}`): GpuInfo {
  return { name, vendor: "nvidia", vram_total_mb: vramTotalMb, vram_free_mb: vramTotalMb };
}

Deno.test("nodeTierFor() gives executive for a 24 GB RTX 3090", async () => {
  const gpus = parseNvidiaSmi(await fixture("nvidia-smi_rtx3090.txt"));
  assert.equal(nodeTierFor({ gpus, cpu_cores: 16 }), "executive");
});

Deno.test("nodeTierFor() gives specialist for an 8 GB RTX 3070", async () => {
  const gpus = parseNvidiaSmi(await fixture("nvidia-smi_rtx3070.txt"));
  assert.equal(nodeTierFor({ gpus, cpu_cores: 8 }), "specialist");
});

Deno.test("nodeTierFor() gives worker for a 4 GB GTX 1650", async () => {
  const gpus = parseNvidiaSmi(await fixture("nvidia-smi_gtx1650.txt"));
  assert.equal(nodeTierFor({ gpus, cpu_cores: 4 }), "worker");
});

Deno.test("nodeTierFor() gives light for a 4-core machine without GPU", async () => {
  const { cores } = parseCpuinfo(await fixture("cpuinfo_x86_4core.txt"));
  assert.equal(nodeTierFor({ gpus: [], cpu_cores: cores }), "light");
});

Deno.test("nodeTierFor() gives edge for a 2-core machine without GPU", async () => {
  const { cores } = parseCpuinfo(await fixture("cpuinfo_x86_2core.txt"));
  assert.equal(nodeTierFor({ gpus: [], cpu_cores: cores }), "edge");
});

Deno.test("nodeTierFor() ignores a GPU too small for any tier", () => {
  assert.equal(nodeTierFor({ gpus: [gpu(2048)], cpu_cores: 4 }), "light");
  assert.equal(nodeTierFor({ gpus: [gpu(2048)], cpu_cores: 3 }), "edge");
});

Deno.test("nodeTierFor() classifies by the best of two GPUs", async () => {
  const gpus = parseNvidiaSmi(await fixture("nvidia-smi_two_gpus.txt"));
  assert.equal(nodeTierFor({ gpus, cpu_cores: 8 }), "executive");
  assert.equal(nodeTierFor({ gpus: [gpu(16384)], cpu_cores: 8 }), "specialist");
});

Deno.test("gpuTierFor() follows the VRAM table", () => {
  const table: [number, string][] = [
    [0, "none"],
    [2000, "none"],
    [3499, "none"],
    [3500, "entry"],
    [4096, "entry"],
    [6999, "entry"],
    [7000, "mid"],
    [8192, "mid"],
    [12288, "mid"],
    [13999, "mid"],
    [14000, "high"],
    [16384, "high"],
    [19999, "high"],
    [20000, "ultra"],
    [24576, "ultra"],
    [49152, "ultra"],
  ];
  for (const [vram, tier] of table) assert.equal(gpuTierFor(vram), tier, `${vram} MB`);
});

Deno.test("bestGpu() picks the most VRAM, the first of equals, and null for none", () => {
  assert.equal(bestGpu([]), null);
  assert.equal(bestGpu([gpu(8192), gpu(24576), gpu(12288)])?.vram_total_mb, 24576);
  assert.equal(bestGpu([gpu(8192, "first"), gpu(8192, "second")])?.name, "first");
});

const workstation = {
  gpus: [gpu(24576)],
  cpu_cores: 16,
  ram_total_mb: 32026,
  disk_free_mb: 247574,
};

Deno.test("capabilitiesFor() gives everything to a 3090 workstation with a model server", () => {
  assert.deepEqual(capabilitiesFor(workstation, { modelServerUp: true }), [
    "gpu_inference",
    "cpu_inference",
    "cpu_worker",
    "storage",
  ]);
});

Deno.test("capabilitiesFor() drops inference without a model server, the tier stays", () => {
  assert.deepEqual(capabilitiesFor(workstation, { modelServerUp: false }), [
    "cpu_worker",
    "storage",
  ]);
  assert.equal(nodeTierFor(workstation), "executive");
});

Deno.test("capabilitiesFor() gives gpu_inference from the entry tier up", () => {
  const base = { cpu_cores: 1, ram_total_mb: 1024, disk_free_mb: null };
  assert.deepEqual(capabilitiesFor({ ...base, gpus: [gpu(3500)] }, { modelServerUp: true }), [
    "gpu_inference",
  ]);
  assert.deepEqual(capabilitiesFor({ ...base, gpus: [gpu(3499)] }, { modelServerUp: true }), []);
});

Deno.test("capabilitiesFor() needs 4096 MB RAM and 2 cores for cpu_inference", () => {
  const on = { modelServerUp: true };
  const base = { gpus: [], disk_free_mb: null };
  assert.ok(
    capabilitiesFor({ ...base, cpu_cores: 2, ram_total_mb: 4096 }, on).includes("cpu_inference"),
  );
  assert.deepEqual(capabilitiesFor({ ...base, cpu_cores: 2, ram_total_mb: 4095 }, on), [
    "cpu_worker",
  ]);
  assert.deepEqual(capabilitiesFor({ ...base, cpu_cores: 1, ram_total_mb: 8192 }, on), []);
});

Deno.test("capabilitiesFor() needs 5120 MB free and a known disk for storage", () => {
  const base = { gpus: [], cpu_cores: 1, ram_total_mb: 1024 };
  const off = { modelServerUp: false };
  assert.deepEqual(capabilitiesFor({ ...base, disk_free_mb: 5120 }, off), ["storage"]);
  assert.deepEqual(capabilitiesFor({ ...base, disk_free_mb: 5119 }, off), []);
  assert.deepEqual(capabilitiesFor({ ...base, disk_free_mb: null }, off), []);
});

Deno.test("parseTierOverride() accepts every tier in any case", () => {
  assert.equal(parseTierOverride("executive"), "executive");
  assert.equal(parseTierOverride("  Worker "), "worker");
  assert.equal(parseTierOverride("EDGE"), "edge");
  assert.equal(parseTierOverride("Specialist"), "specialist");
  assert.equal(parseTierOverride("light"), "light");
});

Deno.test("parseTierOverride() rejects an unknown tier with config_invalid naming the valid ones", () => {
  for (const bad of ["boss", "", "gpu"]) {
    assert.throws(
      () => parseTierOverride(bad),
      (error: unknown) => {
        assert.ok(isMycoError(error, "config_invalid"));
        assert.match(error.message, new RegExp(`"${bad}"`));
        for (const tier of ["executive", "specialist", "worker", "light", "edge"]) {
          assert.match(error.message, new RegExp(tier));
        }
        assert.equal(error.exitCode, 2);
        return true;
      },
    );
  }
});
