/**
 * Web fan-out the way a user gets it: real daemons (`main.ts daemon`, one process each) on
 * loopback — 3 light nodes with the fake SearXNG as their provider, and the user's own
 * node, an executive (GPU) box that keeps CPU work off itself. Research's `searchAll`
 * sends its queries to that node, whose router spreads them over the light nodes (one task
 * in flight outweighs the light-tier bonus). Prints the same 3 queries one after another
 * against fanned out, and which nodes ran them.
 */

import { nodeRunTask } from "../../lib/orchestrator/mod.ts";
import { startFakeWeb } from "../../testing/fake_web.ts";
import { type DaemonProcess, startDaemon } from "../../tests/support/run_daemon.ts";
import { runMain, tempHome } from "../../tests/support/run_cli.ts";
import { percentile, report, timeRuns } from "./_stats.ts";
import { fanOutSearches } from "./_web_nodes.ts";

const LIGHT_NODES = 3;

/** Runs the routed fan-out benchmark: `delayMs` per query at the fake provider. */
export async function benchRoutedFanout(
  { delayMs = 300, runs = 5 }: { delayMs?: number; runs?: number } = {},
): Promise<{ sequentialMs: number; fannedMs: number }> {
  await using site = startFakeWeb({ searchDelayMs: delayMs });
  const homes = await Promise.all(
    Array.from({ length: LIGHT_NODES + 1 }, () => tempHome()),
  );
  const daemons: DaemonProcess[] = [];
  try {
    const token = (await runMain(["token"], { env: { MYCOSWARM_HOME: homes[0]!.home } }))
      .stdout.trim();
    await Promise.all(
      homes.slice(1).map((h) => runMain(["join", token], { env: { MYCOSWARM_HOME: h.home } })),
    );
    const noModel = { OLLAMA_HOST: "127.0.0.1:9" };
    for (const home of homes.slice(1)) {
      daemons.push(
        await startDaemon({
          ...noModel,
          MYCOSWARM_HOME: home.home,
          MYCOSWARM_TIER: "light",
          MYCOSWARM_SEARXNG_URL: site.searxngUrl,
        }),
      );
    }
    const entry = await startDaemon({
      ...noModel,
      MYCOSWARM_HOME: homes[0]!.home,
      MYCOSWARM_TIER: "executive",
      MYCOSWARM_PEERS: daemons.map((d) => `127.0.0.1:${d.port}`).join(","),
    });
    daemons.push(entry);
    await waitForPeers(entry, token, LIGHT_NODES);

    const runTask = nodeRunTask(entry.url, { fetch, token });
    let next = 0; // every query is new: nothing is served from a cache
    const queries = () => Array.from({ length: 3 }, () => `routed query ${next++}`);
    const fanOut = () => fanOutSearches(queries(), runTask);
    const times = (fn: () => Promise<unknown>) => timeRuns(runs, fn);
    await fanOut(); // warm up: connections, caches of the daemons' code paths

    console.log(
      `\nweb fan-out through the router: ${LIGHT_NODES} light daemons and an executive entry ` +
        `node (separate processes), ${delayMs} ms per query`,
    );
    const sequential = await times(async () => {
      for (const query of queries()) await runTask("web_search", { query });
    });
    report("sequential through the router", sequential);
    const light = daemons.slice(0, LIGHT_NODES);
    const before = await completed(light, token);
    const fanned = await times(fanOut);
    const after = await completed(light, token);
    const ranOn = after.filter((n, i) => n > before[i]!).length;
    report("fanned out through the router", fanned);
    const [s, f] = [percentile(sequential, 50), percentile(fanned, 50)];
    console.log(
      `speed-up through the router: ${(s / f).toFixed(2)}×; ` +
        `light nodes that ran the fanned-out searches: ${ranOn} of ${LIGHT_NODES}`,
    );
    return { sequentialMs: s, fannedMs: f };
  } finally {
    await Promise.all(daemons.map((d) => d.stop("SIGTERM").catch(() => {})));
    for (const home of homes) await home[Symbol.asyncDispose]();
  }
}

/** Waits until `node` sees `count` peers alive. */
async function waitForPeers(node: DaemonProcess, token: string, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const peers = await (await fetch(`${node.url}/peers`, { headers: { "x-swarm-token": token } }))
      .json() as { state: string }[];
    if (peers.filter((p) => p.state === "alive").length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the entry node never saw ${count} light nodes alive`);
}

/** Tasks each node has completed, from its `/status`. */
function completed(nodes: DaemonProcess[], token: string): Promise<number[]> {
  return Promise.all(nodes.map(async (node) => {
    const status = await (await fetch(`${node.url}/status`, {
      headers: { "x-swarm-token": token },
    })).json() as { load: { tasks: { completed: number } } };
    return status.load.tasks.completed;
  }));
}

if (import.meta.main) await benchRoutedFanout();
