/**
 * A tiny discovery node for multi-host tests and the swarm benchmark: a
 * {@linkcode DiscoveryService} on the real mDNS socket, plus an HTTP `/health`
 * that peers use as the heartbeat. Prints one JSON object per line on stdout:
 * `ready`, then peer events (`join`, `update`, `suspect`, `dead`, `leave`),
 * `rejected` when the rejection counts change, and `closed`. Stops cleanly
 * (with a goodbye) on SIGTERM or when stdin closes.
 *
 * deno run -A tests/support/discovery_node.ts --node-id myco-… --token … --address 10.…
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  DiscoveryService,
  MdnsSocket,
  type Peer,
  type ProbeResult,
} from "../../lib/discovery/mod.ts";

const { values } = parseArgs({
  options: {
    "node-id": { type: "string" },
    token: { type: "string" },
    address: { type: "string" },
    hostname: { type: "string" },
    port: { type: "string", default: "7890" },
    tier: { type: "string", default: "light" },
    interface: { type: "string" },
  },
});
const nodeId = values["node-id"]!;
const address = values.address!;
const port = Number(values.port);

function emit(event: Record<string, unknown>): void {
  console.log(JSON.stringify({ t: Date.now(), node: nodeId, ...event }));
}

const logger = {
  debug() {},
  info: (m: string) => console.error(`info: ${m}`),
  warn: (m: string) => console.error(`warn: ${m}`),
  error: (m: string) => console.error(`error: ${m}`),
};

const server = Deno.serve(
  { hostname: address, port, onListen: () => {} },
  (request) =>
    new URL(request.url).pathname === "/health"
      ? Response.json({ node_id: nodeId, status: "ok" })
      : new Response("not found", { status: 404 }),
);

async function probe(peer: Peer, signal: AbortSignal): Promise<ProbeResult> {
  const started = performance.now();
  const response = await fetch(`http://${peer.addresses[0]}:${peer.port}/health`, { signal });
  await response.body?.cancel();
  return { ok: response.ok, latencyMs: performance.now() - started };
}

const socket = await MdnsSocket.open({
  interfaces: values.interface === undefined ? [] : [values.interface],
  logger,
});
const service = new DiscoveryService({
  transport: socket,
  token: values.token!,
  node: {
    nodeId,
    tier: values.tier!,
    gpuTier: "none",
    caps: ["cpu_worker"],
    gpu: "none",
    vramMb: 0,
    models: ["tinyllama:1.1b"],
    version: "0.1.0",
    apiPort: port,
  },
  hostname: values.hostname ?? nodeId,
  addresses: [address],
  probe,
  logger,
});
service.on(({ type, peer }) =>
  emit({ type, peer: peer.nodeId, state: peer.state, addresses: peer.addresses, txt: peer.txt })
);
await service.start();
emit({ type: "ready", address, interfaces: socket.interfaces });

let lastRejected = "{}";
const watch = setInterval(() => {
  const counts = JSON.stringify(service.rejected());
  if (counts !== lastRejected) emit({ type: "rejected", counts: service.rejected() });
  lastRejected = counts;
}, 100);

let stopping = false;
async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(watch);
  await service.close();
  await server.shutdown();
  emit({ type: "closed", reason, stats: service.stats() });
  Deno.exit(0);
}

Deno.addSignalListener("SIGTERM", () => void shutdown("SIGTERM"));
// The test runner holds our stdin open; if it dies, stop rather than linger.
(async () => {
  for await (const _ of Deno.stdin.readable) { /* nothing is sent */ }
  await shutdown("stdin closed");
})();
