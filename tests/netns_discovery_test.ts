/**
 * Five nodes, each in its own network namespace on one bridge, find each other
 * over real mDNS (the real `MdnsSocket`), see a clean stop as `leave` and a
 * kill -9 as `dead`. Needs root and iproute2; skipped, saying why, without them.
 */
import assert from "node:assert/strict";
import { netnsUnavailable } from "./support/netns.ts";
import { swarmScenario } from "./support/swarm_scenario.ts";

const unavailable = await netnsUnavailable();
if (unavailable !== null) {
  console.log(`netns_discovery_test: skipped: ${unavailable}`);
}

Deno.test({
  name: "discovery: 5 nodes in network namespaces converge, see a clean leave and notice a kill -9",
  ignore: unavailable !== null,
  async fn() {
    const { times, nodes } = await swarmScenario(5);
    console.log(
      `  converged ${times.convergeFromSpawnMs} ms after spawn ` +
        `(${times.convergeFromReadyMs} ms after the last node started; start-up ${times.startupMs} ms); ` +
        `leave seen in ${times.leaveMs} ms; kill -9 suspect in ${times.killSuspectMs} ms, ` +
        `dead in ${times.killDeadMs} ms`,
    );
    // Every node saw every other join, with its signed TXT and its namespace address.
    for (const node of nodes) {
      for (const other of nodes.filter((o) => o !== node)) {
        const join = node.events.find((e) => e.type === "join" && e.peer === other.nodeId);
        assert.ok(join, `${node.nodeId} never saw ${other.nodeId}`);
        assert.deepEqual(join.addresses, [other.address]);
        assert.equal(join.txt?.tier, "light");
        assert.equal(join.txt?.node_id, other.nodeId);
        assert.match(join.txt?.sig ?? "", /^[0-9a-f]{64}$/);
      }
      // Nobody lists itself, and nothing was rejected: one token for all.
      assert.ok(!node.events.some((e) => e.peer === node.nodeId));
      assert.ok(!node.events.some((e) => e.type === "rejected"));
    }
    const [leaver, victim, ...rest] = nodes;
    // The SIGTERM-ed node closed cleanly; the others saw it leave, not die.
    assert.equal(leaver!.code, 0);
    assert.ok(leaver!.events.some((e) => e.type === "closed" && e.reason === "SIGTERM"));
    assert.equal(victim!.signal, "SIGKILL");
    for (const node of rest) {
      const about = (id: string) => node.events.filter((e) => e.peer === id).map((e) => e.type);
      assert.deepEqual(about(leaver!.nodeId), ["join", "leave"]);
      assert.deepEqual(about(victim!.nodeId), ["join", "suspect", "dead"]);
    }
    // Bounded, with room for a loaded CI machine (targets: 1 s, 0.5 s, 10 s).
    assert.ok(
      times.convergeFromReadyMs < 5_000,
      `convergence took ${times.convergeFromReadyMs} ms`,
    );
    assert.ok(times.leaveMs < 2_000, `leave took ${times.leaveMs} ms`);
    assert.ok(times.killDeadMs < 12_000, `kill -9 took ${times.killDeadMs} ms`);
  },
});
