/**
 * Swarm discovery: 5 nodes, each in its own network namespace on one bridge,
 * running the real discovery service over real mDNS. Measures convergence
 * (start → every node sees every other), how soon a clean stop is seen as
 * `leave`, and how soon a kill -9 is noticed (`suspect`, then `dead`).
 * Targets: converge ≤ 1 s, leave ≤ 0.5 s, kill -9 ≤ 10 s. Needs root and iproute2.
 */

import { netnsUnavailable } from "../../tests/support/netns.ts";
import { swarmScenario, type SwarmTimes } from "../../tests/support/swarm_scenario.ts";
import { percentile } from "./_stats.ts";

/** Runs the swarm discovery benchmark `rounds` times with `nodes` nodes. */
export async function benchSwarmDiscovery(rounds = 3, nodes = 5): Promise<void> {
  const unavailable = await netnsUnavailable();
  if (unavailable !== null) {
    console.log(`swarm discovery: skipped: ${unavailable}`);
    return;
  }
  console.log(
    `swarm discovery: ${nodes} nodes in network namespaces, ${rounds} rounds, default timings`,
  );
  const results: SwarmTimes[] = [];
  for (let round = 0; round < rounds; round++) {
    const { times } = await swarmScenario(nodes);
    results.push(times);
  }
  const line = (name: string, pick: (t: SwarmTimes) => number, target: string) => {
    const values = results.map(pick);
    const f = (n: number) => n.toFixed(0).padStart(6);
    console.log(
      `${name.padEnd(44)} p50 ${f(percentile(values, 50))} ms  max ${
        f(Math.max(...values))
      } ms  (target ${target})`,
    );
  };
  line("process start-up (spawn → all ready)", (t) => t.startupMs, "-");
  line("converge: spawn → all see all", (t) => t.convergeFromSpawnMs, "≤ 1000 ms");
  line("converge: last node started → all see all", (t) => t.convergeFromReadyMs, "≤ 1000 ms");
  line("clean leave (SIGTERM) → all see leave", (t) => t.leaveMs, "≤ 500 ms");
  line("kill -9 → all see suspect", (t) => t.killSuspectMs, "-");
  line("kill -9 → all see dead", (t) => t.killDeadMs, "≤ 10000 ms");
}

if (import.meta.main) await benchSwarmDiscovery();
