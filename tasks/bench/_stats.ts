/** Small helpers shared by the benchmarks: timing, percentiles, printing. */

/** The p-th percentile (0–100) of `values`, by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Runs `fn` `runs` times and returns each duration in ms. */
export async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** Prints one result line: name, p50, p95, runs. */
export function report(name: string, times: readonly number[], unit = "ms"): void {
  const f = (n: number) => n.toFixed(1).padStart(8);
  console.log(
    `${name.padEnd(44)} p50 ${f(percentile(times, 50))} ${unit}  p95 ${
      f(percentile(times, 95))
    } ${unit}  (${times.length} runs)`,
  );
}
