import assert from "node:assert/strict";
import { parseSysctlNumber, parseVmStatAvailable } from "./parse_darwin.ts";

Deno.test("parseSysctlNumber() reads a number and rejects anything else", () => {
  assert.equal(parseSysctlNumber("34359738368\n"), 34359738368);
  assert.equal(parseSysctlNumber("12"), 12);
  assert.equal(parseSysctlNumber(""), null);
  assert.equal(parseSysctlNumber("sysctl: unknown oid 'hw.memsize'"), null);
  assert.equal(parseSysctlNumber("-1"), null);
});

Deno.test("parseVmStatAvailable() adds free, inactive and speculative pages of the printed size", async () => {
  const stdout = await Deno.readTextFile(
    new URL("../../tests/fixtures/hardware/vm_stat_m2pro.txt", import.meta.url),
  );
  // (40211 + 590520 + 12345) pages × 16 KiB
  assert.equal(parseVmStatAvailable(stdout), 10048);
});

Deno.test("parseVmStatAvailable() assumes 4 KiB pages when none are printed", () => {
  assert.equal(parseVmStatAvailable("Pages free: 256.\nPages inactive: 256.\n"), 2);
});

Deno.test("parseVmStatAvailable() gives null without a free page count", () => {
  assert.equal(parseVmStatAvailable(""), null);
  assert.equal(parseVmStatAvailable("Pages active: 100.\n"), null);
});
