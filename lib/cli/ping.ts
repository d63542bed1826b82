/** `mycoswarm ping`: round trips to every peer the local daemon knows. */

import { isReachable } from "../discovery/mod.ts";
import type { HealthJson, PeerJson } from "../orchestrator/mod.ts";
import { intFlag, parseCommandArgs } from "./_args.ts";
import { daemonPeers, describeFailure, peerUrl, requireDaemon, timed } from "./_daemon.ts";
import { configFor, writeJson } from "./_setup.ts";
import type { CliContext, Command } from "./context.ts";

const HELP = `Usage: mycoswarm ping [--count N] [--json]

Times round trips (GET /health) from this machine to each peer the daemon on
this machine knows, N times each, and prints the fastest, average and slowest.
Dead and departed peers are listed but not pinged. Exit 0 when every pinged
peer answered every time, 1 otherwise.

Options:
  -c, --count N   round trips per peer, 1 to 100 (default 3)
  --json          print {daemon, peers: [{node_id, hostname, address, state,
                  times_ms, min_ms, avg_ms, max_ms, error}]}
  -h, --help      show this help
`;

/** A LAN round trip is milliseconds; two seconds means the peer is not answering. */
const PING_TIMEOUT_MS = 2_000;

/** One peer's round trips. */
interface PingResult {
  node_id: string;
  hostname: string;
  address: string | null;
  state: string;
  times_ms: number[];
  min_ms: number | null;
  avg_ms: number | null;
  max_ms: number | null;
  /** Why a round trip failed; null when all answered (or the peer was not pinged). */
  error: string | null;
}

export const pingCommand: Command = {
  name: "ping",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("ping", argv, {
      count: { type: "string", short: "c" },
      json: { type: "boolean" },
    });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const count = intFlag("ping", args.values, "count", { min: 1, max: 100, default: 3 });
    const daemon = await requireDaemon(await configFor(ctx), ctx);
    const peers = await daemonPeers(daemon);
    const results = await Promise.all(peers.map((peer) => pingPeer(peer, count, ctx)));
    if (args.values.json) {
      writeJson(ctx, { daemon: daemon.url, peers: results });
    } else {
      ctx.stdout.write(`${peers.length} peers known to the daemon on ${daemon.url}`);
      ctx.stdout.write(peers.length > 0 ? `; ${count} round trips each (GET /health)\n` : "\n");
      const width = Math.max(0, ...results.map((r) => r.hostname.length));
      for (const r of results) ctx.stdout.write(`  ${r.hostname.padEnd(width)}  ${line(r)}\n`);
    }
    return results.some((r) => r.error !== null) ? 1 : 0;
  },
};

async function pingPeer(peer: PeerJson, count: number, ctx: CliContext): Promise<PingResult> {
  const url = peerUrl(peer);
  const result: PingResult = {
    node_id: peer.node_id,
    hostname: peer.hostname,
    address: url === null ? null : url.slice("http://".length),
    state: peer.state,
    times_ms: [],
    min_ms: null,
    avg_ms: null,
    max_ms: null,
    error: null,
  };
  if (url === null || !isReachable(peer.state)) return result;
  for (let i = 0; i < count; i++) {
    // performance.now(): round trips need sub-millisecond resolution, which the clock lacks.
    const started = performance.now();
    try {
      const health = await timed(PING_TIMEOUT_MS, async (signal) => {
        const response = await ctx.fetch(`${url}/health`, { signal });
        return await response.json() as Partial<HealthJson>;
      });
      if (health.node_id !== peer.node_id) {
        result.error = `another node answers there (${health.node_id ?? "not mycoswarm"})`;
        break;
      }
      result.times_ms.push(round(performance.now() - started));
    } catch (error) {
      result.error = describeFailure(error);
    }
  }
  const times = result.times_ms;
  if (times.length > 0) {
    result.min_ms = Math.min(...times);
    result.max_ms = Math.max(...times);
    result.avg_ms = round(times.reduce((a, b) => a + b, 0) / times.length);
  }
  return result;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function line(r: PingResult): string {
  const where = `${r.node_id}  ${r.address ?? "no address"}`;
  if (!isReachable(r.state)) return `${where}  ${r.state}, not pinged`;
  const times = r.times_ms.length === 0
    ? ""
    : `  min ${r.min_ms!.toFixed(2)} / avg ${r.avg_ms!.toFixed(2)} / max ${
      r.max_ms!.toFixed(2)
    } ms`;
  const lost = r.error === null
    ? ""
    : `  ${r.times_ms.length === 0 ? "" : "some lost: "}${r.error}`;
  return `${where}${r.state === "suspect" ? "  (suspect)" : ""}${times}${lost}`;
}
