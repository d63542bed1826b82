/**
 * A few discovery services on one in-memory network with hand-moved time: the
 * harness of `lib/discovery/discovery_service_test.ts`.
 *
 * @module
 */
import type { Logger } from "../lib/core/mod.ts";
import {
  discoveryConfig,
  DiscoveryService,
  type DiscoveryServiceOptions,
  type NodeTxtInput,
  type ProbeResult,
} from "../lib/discovery/mod.ts";
// The in-memory network is a test transport: not part of discovery's public face.
import { MemoryNetwork } from "../lib/discovery/memory_transport.ts";
import { NODE, T0, TOKEN } from "./discovery.ts";
import { ManualTime } from "./time.ts";

/** How a node answers heartbeats: ok, failing at once, or never answering. */
export type Health = "ok" | "fail" | "hang";

/** The node id of test node `i`. */
export function nodeIdOf(i: number): string {
  return `myco-${String(i).padStart(12, "0")}`;
}

/** The address of test node `i`. */
export function addressOf(i: number): string {
  return `10.0.0.${i}`;
}

/** The TXT input of test node `i`. */
export function nodeOf(i: number, overrides: Partial<NodeTxtInput> = {}): NodeTxtInput {
  return { ...NODE, nodeId: nodeIdOf(i), tier: "light", apiPort: 7890, ...overrides };
}

/** A logger that keeps what it is told. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
  return {
    lines,
    debug: keep("debug"),
    info: keep("info"),
    warn: keep("warn"),
    error: keep("error"),
  };
}

/** Several nodes, one network, one clock. */
export class TestSwarm {
  readonly network = new MemoryNetwork();
  readonly time = new ManualTime(T0);
  readonly config = discoveryConfig();
  /** Heartbeat outcome per node id (default ok). */
  readonly health = new Map<string, Health>();
  /** Events per node number, as `type:<peer number>`. */
  readonly events = new Map<number, string[]>();
  readonly services: DiscoveryService[] = [];
  /** Probes started, per target node id. */
  readonly probes = new Map<string, number>();

  /** Adds node `i` (not started). */
  add(i: number, overrides: Partial<DiscoveryServiceOptions> = {}): DiscoveryService {
    const service = new DiscoveryService({
      transport: this.network.join(addressOf(i)),
      token: TOKEN,
      node: nodeOf(i),
      hostname: `node-${i}`,
      addresses: [addressOf(i)],
      probe: (peer, signal) => this.#probe(peer.nodeId, signal),
      config: this.config,
      clock: this.time,
      timers: this.time,
      random: () => 0.5,
      ...overrides,
    });
    const events: string[] = [];
    this.events.set(i, events);
    service.on((e) => events.push(`${e.type}:${Number(e.peer.nodeId.slice(5))}`));
    this.services.push(service);
    return service;
  }

  /** Lets every in-flight datagram and handler finish. */
  async settle(): Promise<void> {
    for (let quiet = 0, turns = 0; quiet < 3 && turns < 500; turns++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await Promise.all(this.services.map((s) => s.idle()));
      quiet = this.network.inFlight === 0 ? quiet + 1 : 0;
    }
  }

  /** Moves time by `ms`, running what falls due. */
  async advance(ms: number): Promise<void> {
    await this.time.advanceAsync(ms, () => this.settle());
  }

  /** Closes every node. */
  async close(): Promise<void> {
    await Promise.all(this.services.map((s) => s.close()));
    await this.settle();
  }

  #probe(nodeId: string, signal: AbortSignal): Promise<ProbeResult> {
    this.probes.set(nodeId, (this.probes.get(nodeId) ?? 0) + 1);
    const health = this.health.get(nodeId) ?? "ok";
    if (health === "ok") return Promise.resolve({ ok: true, latencyMs: 3 });
    if (health === "fail") return Promise.reject(new Error("connection refused"));
    signal.throwIfAborted();
    return new Promise(() => {}); // never answers, ignores the signal
  }
}
