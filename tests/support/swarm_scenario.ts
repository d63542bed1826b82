/**
 * The swarm discovery scenario shared by `tests/netns_discovery_test.ts` and the
 * `swarm` benchmark: N nodes in namespaces start together and must all see each
 * other; then one stops cleanly (SIGTERM → goodbye) and one is killed (SIGKILL →
 * failed heartbeats). Every wait is bounded; everything is removed at the end.
 *
 * @module
 */
import { TestNet } from "./netns.ts";
import {
  type NodeEvent,
  NodeProcess,
  randomToken,
  testNodeId,
  waitUntil,
} from "./discovery_nodes.ts";

/** What the scenario measured, in ms. */
export interface SwarmTimes {
  nodes: number;
  /** First spawn → every node printed `ready` (process start-up). */
  startupMs: number;
  /** First spawn → every node has seen every other. */
  convergeFromSpawnMs: number;
  /** Last node ready → every node has seen every other. */
  convergeFromReadyMs: number;
  /** SIGTERM → every other node saw `leave`. */
  leaveMs: number;
  /** SIGKILL → every remaining node saw `suspect`. */
  killSuspectMs: number;
  /** SIGKILL → every remaining node saw `dead`. */
  killDeadMs: number;
}

/** One node's record, for assertions. */
export interface NodeRecord {
  nodeId: string;
  address: string;
  events: NodeEvent[];
  code: number;
  signal: string | null;
  stderr: string;
}

/** Bounds of each phase, ms. */
export interface ScenarioLimits {
  /** @default 30_000 (cold module cache) */
  readyMs?: number;
  /** @default 10_000 */
  convergeMs?: number;
  /** @default 5_000 */
  leaveMs?: number;
  /** @default 20_000 */
  killMs?: number;
}

/**
 * Runs the scenario with `count` (≥ 3) nodes.
 *
 * @returns the times and each node's events
 * @throws when a phase does not complete within its limit (after cleaning up)
 */
export async function swarmScenario(
  count = 5,
  limits: ScenarioLimits = {},
): Promise<{ times: SwarmTimes; nodes: NodeRecord[] }> {
  const net = await TestNet.create(count);
  const nodes: NodeProcess[] = [];
  const token = randomToken();
  try {
    const start = Date.now();
    for (let i = 0; i < count; i++) {
      nodes.push(NodeProcess.spawn(net, i, { token, nodeId: testNodeId(i) }));
    }
    const ready = await Promise.all(
      nodes.map((n) => n.waitFor({ type: "ready" }, limits.readyMs ?? 30_000)),
    );
    const lastReady = Math.max(...ready.map((e) => e.t));

    const joins = () =>
      nodes.flatMap((n) =>
        nodes.filter((o) => o !== n).map((o) => n.find({ type: "join", peer: o.nodeId }))
      );
    await waitUntil(
      () => joins().every((e) => e !== undefined),
      limits.convergeMs ?? 10_000,
      "convergence",
    );
    const converged = Math.max(...joins().map((e) => e!.t));

    const [leaver, victim, ...rest] = nodes;
    const termAt = Date.now();
    leaver!.kill("SIGTERM");
    const leaves = await Promise.all(
      [victim!, ...rest].map((n) =>
        n.waitFor({ type: "leave", peer: leaver!.nodeId }, limits.leaveMs ?? 5_000)
      ),
    );
    await leaver!.exited();

    const killAt = Date.now();
    victim!.kill("SIGKILL");
    const killMs = limits.killMs ?? 20_000;
    const dead = await Promise.all(
      rest.map((n) => n.waitFor({ type: "dead", peer: victim!.nodeId }, killMs)),
    );
    const suspect = rest.map((n) => n.find({ type: "suspect", peer: victim!.nodeId }));

    const times: SwarmTimes = {
      nodes: count,
      startupMs: lastReady - start,
      convergeFromSpawnMs: converged - start,
      convergeFromReadyMs: Math.max(0, converged - lastReady),
      leaveMs: Math.max(...leaves.map((e) => e.t)) - termAt,
      killSuspectMs: Math.max(...suspect.map((e) => e?.t ?? NaN)) - killAt,
      killDeadMs: Math.max(...dead.map((e) => e.t)) - killAt,
    };
    await Promise.all(nodes.map((n) => n.stop()));
    const records = await Promise.all(nodes.map(async (n, i) => {
      const status = await n.exited();
      return {
        nodeId: n.nodeId,
        address: net.address(i),
        events: n.events,
        code: status.code,
        signal: status.signal,
        stderr: n.stderr,
      };
    }));
    return { times, nodes: records };
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    const logs = nodes.map((n) => `--- ${n.nodeId} stderr:\n${n.stderr}`).join("\n");
    throw new Error(`${error instanceof Error ? error.message : error}\n${logs}`, { cause: error });
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await net.cleanup();
  }
}
