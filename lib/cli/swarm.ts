/** `mycoswarm swarm`: the nodes of the swarm as the local daemon sees them. */

import { isReachable } from "../discovery/mod.ts";
import type { StatusJson } from "../orchestrator/mod.ts";
import { parseCommandArgs } from "./_args.ts";
import { daemonGetter, daemonPeers, peerUrl, requireDaemon } from "./_daemon.ts";
import { configFor, writeJson } from "./_setup.ts";
import { renderSwarm, swarmRows } from "./_swarm_view.ts";
import type { Command } from "./context.ts";

const HELP = `Usage: mycoswarm swarm [--json]

Shows the swarm as the daemon on this machine sees it: each node's name,
hardware, models, tier, state (alive, suspect, dead, left), load (tasks
running and waiting, CPU) and when it was last heard from. * marks this node,
! a node on another version. Needs the daemon running here (mycoswarm daemon).

Options:
  --json       print {daemon, nodes: [{node_id, hostname, self, state, tier, hardware,
               models, load, last_seen_seconds, address, latency_ms, version,
               other_version}]}
  -h, --help   show this help
`;

/** How long a peer may take to give its own load. */
const PEER_STATUS_TIMEOUT_MS = 1_500;

export const swarmCommand: Command = {
  name: "swarm",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("swarm", argv, { json: { type: "boolean" } });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const daemon = await requireDaemon(await configFor(ctx), ctx);
    const [self, peers] = await Promise.all([
      daemon.get<StatusJson>("/status"),
      daemonPeers(daemon),
    ]);
    // Each live peer's own /status gives its load; one that does not answer shows "?".
    const statuses = new Map<string, StatusJson | null>();
    await Promise.all(peers.map(async (peer) => {
      const url = peerUrl(peer);
      if (url === null || !isReachable(peer.state)) return;
      const status = daemonGetter(url, daemon.token, ctx)<StatusJson>("/status", {
        timeoutMs: PEER_STATUS_TIMEOUT_MS,
      });
      statuses.set(peer.node_id, await status.catch(() => null));
    }));
    const rows = swarmRows(self, peers, statuses, ctx.clock.now());
    if (args.values.json) writeJson(ctx, { daemon: daemon.url, nodes: rows });
    else ctx.stdout.write(renderSwarm(rows));
    return 0;
  },
};
