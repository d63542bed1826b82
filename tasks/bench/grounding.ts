/**
 * Grounding on a large paste: the time to check a reflection's claims against a pasted log of
 * 1,000 to 16,000 lines (values on every line), as the end of a chat does. Grows linearly with
 * the paste; it once grew with its square (16,000 lines took 37 s).
 */

import { groundReflection } from "../../lib/memory/mod.ts";

/** Runs the grounding benchmark. */
export function benchGrounding(): Promise<void> {
  console.log("grounding: one reflection's claims against a pasted log");
  const reflection = {
    summary: "Worker 12 took 40 ms on port 5432. Backups run at 02:00 on v1.3.2.",
    decisions: ["Keep seven daily archives of 8 GB"],
  };
  for (const lines of [1_000, 4_000, 16_000]) {
    const log = Array.from(
      { length: lines },
      (_, i) =>
        `2026-03-01 10:${String(i % 60).padStart(2, "0")} worker ${i} took ${i % 97} ms, ` +
        `v1.${i % 9}.2 on port 54${i % 10}`,
    ).join("\n");
    const start = performance.now();
    groundReflection(reflection, [log]);
    const ms = Math.round(performance.now() - start);
    console.log(`  ${String(lines).padStart(6)} lines (${log.length} chars): ${ms} ms`);
  }
  return Promise.resolve();
}
