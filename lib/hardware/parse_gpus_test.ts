import assert from "node:assert/strict";
import { parseNvidiaSmi, parseRocmSmi, parseSystemProfiler } from "./parse_gpus.ts";

function fixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(`../../tests/fixtures/hardware/${name}`, import.meta.url));
}

Deno.test("parseNvidiaSmi() reads an RTX 3090", async () => {
  assert.deepEqual(parseNvidiaSmi(await fixture("nvidia-smi_rtx3090.txt")), [
    {
      name: "NVIDIA GeForce RTX 3090",
      vendor: "nvidia",
      vram_total_mb: 24576,
      vram_free_mb: 23000,
    },
  ]);
});

Deno.test("parseNvidiaSmi() reads one GPU per line", async () => {
  const gpus = parseNvidiaSmi(await fixture("nvidia-smi_two_gpus.txt"));
  assert.deepEqual(gpus.map((g) => [g.name, g.vram_total_mb, g.vram_free_mb]), [
    ["NVIDIA GeForce RTX 4090", 24564, 22011],
    ["NVIDIA GeForce RTX 3060", 12288, 11950],
  ]);
});

Deno.test("parseNvidiaSmi() tolerates blank lines, CRLF, [N/A] and MiB units", () => {
  const gpus = parseNvidiaSmi(
    "\nNVIDIA Jetson Orin, [N/A], [N/A]\r\n\n  Tesla T4 , 15360 MiB, 15000 MiB  \n\n",
  );
  assert.deepEqual(gpus, [
    { name: "NVIDIA Jetson Orin", vendor: "nvidia", vram_total_mb: 0, vram_free_mb: 0 },
    { name: "Tesla T4", vendor: "nvidia", vram_total_mb: 15360, vram_free_mb: 15000 },
  ]);
});

Deno.test("parseNvidiaSmi() skips garbage lines and keeps the good ones", () => {
  const gpus = parseNvidiaSmi(
    "Failed to initialize NVML: Driver/library version mismatch\n" +
      "NVIDIA GeForce RTX 3070, 8192, 7800\n" +
      "name, memory.total [MiB], memory.free [MiB]\n" +
      ", 100, 100\n" +
      "NVIDIA, twelve, 3\n",
  );
  assert.deepEqual(gpus.map((g) => g.name), ["NVIDIA GeForce RTX 3070"]);
});

Deno.test("parseNvidiaSmi() gives [] for malformed output", async () => {
  assert.deepEqual(parseNvidiaSmi(await fixture("nvidia-smi_driver_error.txt")), []);
  for (const bad of ["", "\n\n", "garbage", "No devices were found", "a, b, c", "{}"]) {
    assert.deepEqual(parseNvidiaSmi(bad), [], JSON.stringify(bad));
  }
});

Deno.test("parseRocmSmi() reads cards in order with bytes as MB and the series as name", async () => {
  assert.deepEqual(parseRocmSmi(await fixture("rocm-smi_rx7900xtx.json")), [
    {
      name: "Navi 31 [Radeon RX 7900 XT/7900 XTX]",
      vendor: "amd",
      vram_total_mb: 24560,
      vram_free_mb: 23580,
    },
    { name: "Raphael", vendor: "amd", vram_total_mb: 512, vram_free_mb: 473 },
  ]);
});

Deno.test("parseRocmSmi() sorts cards by number and skips non-card keys", () => {
  const json = JSON.stringify({
    system: { "Driver version": "6.7.0" },
    card10: { "Card Series": "Instinct MI210", "VRAM Total Memory (B)": "68702699520" },
    card2: { "Device Name": "Radeon RX 6800", "VRAM Total Memory (B)": 17163091968 },
  });
  assert.deepEqual(parseRocmSmi(json).map((g) => [g.name, g.vram_total_mb, g.vram_free_mb]), [
    ["Radeon RX 6800", 16368, 16368],
    ["Instinct MI210", 65520, 65520],
  ]);
});

Deno.test("parseRocmSmi() names a card without a usable name after its key", () => {
  const json = '{"card0": {"Card model": "0x744c", "VRAM Total Memory (B)": "nonsense"}}';
  assert.deepEqual(parseRocmSmi(json), [
    { name: "AMD GPU (card0)", vendor: "amd", vram_total_mb: 0, vram_free_mb: 0 },
  ]);
});

Deno.test("parseRocmSmi() gives [] for malformed output", () => {
  for (const bad of ["", "not json", "[]", "null", '"card0"', '{"card0": "x"}', "{}"]) {
    assert.deepEqual(parseRocmSmi(bad), [], bad);
  }
});

Deno.test("parseSystemProfiler() gives Apple Silicon the system RAM as VRAM", async () => {
  const stdout = await fixture("system_profiler_m2pro.json");
  assert.deepEqual(parseSystemProfiler(stdout, 32768, { ramAvailableMb: 10048 }), [
    { name: "Apple M2 Pro", vendor: "apple", vram_total_mb: 32768, vram_free_mb: 10048 },
  ]);
  assert.equal(parseSystemProfiler(stdout, 16384)[0]?.vram_free_mb, 16384);
});

Deno.test("parseSystemProfiler() reads a discrete AMD GPU and skips Intel graphics", async () => {
  const stdout = await fixture("system_profiler_intel_mac.json");
  assert.deepEqual(parseSystemProfiler(stdout, 16384), [
    { name: "AMD Radeon Pro 5500M", vendor: "amd", vram_total_mb: 8192, vram_free_mb: 8192 },
  ]);
});

Deno.test("parseSystemProfiler() gives [] for malformed output", () => {
  for (
    const bad of [
      "",
      "{",
      "[]",
      '{"SPDisplaysDataType": {}}',
      '{"SPDisplaysDataType": [null, 3, {"sppci_bus": "no name"}]}',
    ]
  ) {
    assert.deepEqual(parseSystemProfiler(bad, 16384), [], bad);
  }
});
