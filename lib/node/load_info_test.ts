import assert from "node:assert/strict";
import { parseLoadavg, readLoadInfo } from "./load_info.ts";

const MEMINFO = "MemTotal:       16000000 kB\nMemFree: 1000 kB\nMemAvailable:    8192000 kB\n";

Deno.test("parseLoadavg() reads the three averages of /proc/loadavg", () => {
  assert.deepEqual(parseLoadavg("0.52 0.41 0.30 2/812 12345\n"), [0.52, 0.41, 0.3]);
  assert.equal(parseLoadavg("garbage"), null);
  assert.equal(parseLoadavg(""), null);
});

Deno.test("readLoadInfo() reads /proc and works out RAM used and CPU usage", async () => {
  const files: Record<string, string> = {
    "/proc/loadavg": "2.00 1.00 0.50 1/100 1\n",
    "/proc/meminfo": MEMINFO,
  };
  const info = await readLoadInfo({
    readTextFile: (path) => Promise.resolve(files[path] ?? null),
    cores: 4,
  });
  assert.deepEqual(info, {
    cpu: { load_1m: 2, load_5m: 1, load_15m: 0.5, cores: 4, usage_percent: 50 },
    ram: { total_mb: 15625, available_mb: 8000, used_mb: 7625 },
  });
});

Deno.test("readLoadInfo() falls back to the runtime, and to nulls", async () => {
  const none = { readTextFile: () => Promise.resolve(null), cores: 2 };
  const fallback = await readLoadInfo({
    ...none,
    loadavg: () => [4, 3, 2],
    memory: () => ({ total: 2 * 1024 ** 3, available: 1024 ** 3 }),
  });
  assert.equal(fallback.cpu.usage_percent, 100);
  assert.deepEqual(fallback.ram, { total_mb: 2048, available_mb: 1024, used_mb: 1024 });
  const failing = await readLoadInfo({
    ...none,
    loadavg: () => {
      throw new Error("no");
    },
  });
  assert.equal(failing.cpu.load_1m, null);
  assert.equal(failing.ram.total_mb, null);
});
