/**
 * Web fan-out: 3 queries searched one after another on one light node, against the same 3
 * queries fanned out (research's own `searchAll`) over 1–4 light nodes. Each node is a real
 * node API on loopback running one task at a time; the fake SearXNG behind them takes a
 * fixed time per query, so the figures show the parallelism, not the network. Then the
 * same through the product's own router: see `web_fanout_router.ts`.
 */

import type { RunTask } from "../../lib/orchestrator/mod.ts";
import { startFakeWeb } from "../../testing/fake_web.ts";
import { percentile, report, timeRuns } from "./_stats.ts";
import { fanOutSearches, leastBusy, type LightNode, startLightNode } from "./_web_nodes.ts";
import { benchRoutedFanout } from "./web_fanout_router.ts";

/** The speed-up 3 nodes must reach over one node (the reference claims 4.5 s → 1.5 s). */
const TARGET = 2.7;
/** Noise allowed before "more nodes" counts as slower. */
const SLACK_MS = 15;

/** Runs the fan-out benchmark. */
export async function benchWebFanout(
  { delayMs = 300, runs = 5 }: { delayMs?: number; runs?: number } = {},
): Promise<void> {
  await using site = startFakeWeb({ searchDelayMs: delayMs });
  const nodes: LightNode[] = [1, 2, 3, 4].map((i) => startLightNode(`light-${i}`, site.searxngUrl));
  try {
    let next = 0; // every query is new: nothing is served from a cache
    const queries = (n: number) => Array.from({ length: n }, () => `fan-out query ${next++}`);
    const fanOut = (n: number, runTask: RunTask) => fanOutSearches(queries(n), runTask);
    const times = (fn: () => Promise<unknown>) => timeRuns(runs, fn);
    await Promise.all(nodes.map((node) => fanOut(1, node.runTask))); // warm up each node

    console.log(
      `web fan-out: 3 web_search tasks, ${delayMs} ms per query at the fake SearXNG; ` +
        "light nodes are node APIs on loopback running 1 task at a time",
    );
    const sequential = await times(async () => {
      for (const query of queries(3)) await nodes[0]!.runTask("web_search", { query });
    });
    report("sequential, 1 node", sequential);
    const fanned: number[] = [];
    for (let k = 1; k <= 4; k++) {
      const swarm = leastBusy(nodes.slice(0, k));
      const t = await times(() => fanOut(3, swarm));
      report(`fan-out, ${k} node${k > 1 ? "s" : ""}`, t);
      fanned.push(percentile(t, 50));
    }
    const four3 = percentile(await times(() => fanOut(4, leastBusy(nodes.slice(0, 3)))), 50);
    const four4 = percentile(await times(() => fanOut(4, leastBusy(nodes))), 50);

    const speedUp = percentile(sequential, 50) / fanned[2]!;
    const verdict = speedUp >= TARGET ? "meets" : "MISSES";
    console.log(
      `speed-up, 3 nodes vs sequential: ${speedUp.toFixed(2)}× (${verdict} ≥ ${TARGET}×)`,
    );
    const slower = fanned.findIndex((t, i) => i > 0 && t > fanned[i - 1]! + SLACK_MS);
    console.log(
      `adding a node, 1→2→3→4 (p50 ${fanned.map((t) => t.toFixed(0)).join(" → ")} ms): ` +
        (slower < 0 ? "never slower" : `SLOWER at ${slower + 1} nodes`),
    );
    console.log(
      `4 queries: 3 nodes ${four3.toFixed(0)} ms, 4 nodes ${four4.toFixed(0)} ms ` +
        `(the 4th node ${four4 <= four3 + SLACK_MS ? "is never slower" : "was SLOWER"})`,
    );
  } finally {
    await Promise.all(nodes.map((node) => node[Symbol.asyncDispose]()));
  }
  await benchRoutedFanout({ delayMs, runs });
}

if (import.meta.main) await benchWebFanout();
