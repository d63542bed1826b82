/**
 * Runs `discovery_node.ts` processes inside {@linkcode TestNet} namespaces and
 * collects what they print: the driver of the netns test and the swarm benchmark.
 *
 * @module
 */
import { newSwarmToken } from "../../lib/node/mod.ts";
import type { TestNet } from "./netns.ts";

const SCRIPT = new URL("./discovery_node.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** One line a node printed. */
export interface NodeEvent {
  /** The node's `Date.now()` when it happened. */
  t: number;
  node: string;
  type: string;
  peer?: string;
  state?: string;
  txt?: Record<string, string>;
  counts?: Record<string, number>;
  [key: string]: unknown;
}

/** Fields an event must have, or a predicate. */
export type EventMatch = Partial<NodeEvent> | ((event: NodeEvent) => boolean);

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A random swarm token. */
export function randomToken(): string {
  return newSwarmToken();
}

/** A node id for test node `i` of this run. */
export function testNodeId(i: number): string {
  return `myco-${(Deno.pid % 0x1000000).toString(16).padStart(6, "0")}${
    i.toString(16).padStart(6, "0")
  }`;
}

/** Options of {@linkcode NodeProcess.spawn}. */
export interface SpawnOptions {
  token: string;
  nodeId: string;
  /** @default the node id */
  hostname?: string;
  /** @default "light" */
  tier?: string;
}

/** A discovery node running in a namespace. */
export class NodeProcess {
  readonly nodeId: string;
  readonly pid: number;
  /** Everything it printed, parsed. */
  readonly events: NodeEvent[] = [];
  /** What it wrote to stderr. */
  stderr = "";
  /** When it was spawned, `Date.now()`. */
  readonly spawnedAt: number;
  readonly #child: Deno.ChildProcess;
  readonly #stdin: WritableStreamDefaultWriter<Uint8Array>;
  readonly #done: Promise<Deno.CommandStatus>;
  #exited: Deno.CommandStatus | null = null;

  private constructor(nodeId: string, child: Deno.ChildProcess, spawnedAt: number) {
    this.nodeId = nodeId;
    this.pid = child.pid;
    this.spawnedAt = spawnedAt;
    this.#child = child;
    this.#stdin = child.stdin.getWriter();
    const out = this.#readLines(child.stdout);
    const err = new Response(child.stderr).text().then((text) => void (this.stderr = text));
    this.#done = Promise.all([child.status, out, err]).then(([status]) => {
      this.#exited = status;
      return status;
    });
  }

  /** Starts node `i` of `net`. */
  static spawn(net: TestNet, i: number, options: SpawnOptions): NodeProcess {
    const args = [
      "run",
      "--quiet",
      "-A",
      `--config=${CONFIG}`,
      SCRIPT,
      `--node-id=${options.nodeId}`,
      `--token=${options.token}`,
      `--address=${net.address(i)}`,
      `--hostname=${options.hostname ?? options.nodeId}`,
      `--tier=${options.tier ?? "light"}`,
      `--interface=${net.interfaceName}`,
    ];
    const spawnedAt = Date.now();
    const child = new Deno.Command("ip", {
      args: net.execArgs(i, [Deno.execPath(), ...args]),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return new NodeProcess(options.nodeId, child, spawnedAt);
  }

  /** The first event matching `match` (fields to equal, or a predicate), if any. */
  find(match: EventMatch): NodeEvent | undefined {
    const test = typeof match === "function"
      ? match
      : (e: NodeEvent) => Object.entries(match).every(([k, v]) => e[k] === v);
    return this.events.find(test);
  }

  /** Waits (at most `timeoutMs`) for an event matching `match`. */
  async waitFor(match: EventMatch, timeoutMs: number): Promise<NodeEvent> {
    const what = typeof match === "function" ? "an event" : JSON.stringify(match);
    await waitUntil(
      () => this.find(match) !== undefined || this.#exited !== null,
      timeoutMs,
      `${this.nodeId}: ${what}`,
    );
    const event = this.find(match);
    if (event === undefined) {
      throw new Error(
        `${this.nodeId} exited (${this.#exited?.code}) before ${what}:\n${this.stderr}`,
      );
    }
    return event;
  }

  /** Sends a signal (no-op once it has exited). */
  kill(signal: Deno.Signal): void {
    if (this.#exited !== null) return;
    try {
      this.#child.kill(signal);
    } catch {
      // already gone
    }
  }

  /** Resolves when it has exited and its output is read. */
  exited(): Promise<Deno.CommandStatus> {
    return this.#done;
  }

  /**
   * Stops it: closes its stdin (it then shuts down cleanly), SIGKILL after
   * `graceMs`, and waits for it. Never throws.
   */
  async stop(graceMs = 3_000): Promise<Deno.CommandStatus> {
    await this.#stdin.close().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), graceMs));
    const status = await Promise.race([this.#done, late]);
    clearTimeout(timer);
    if (status !== null) return status;
    this.kill("SIGKILL");
    return await this.#done;
  }

  async #readLines(stream: ReadableStream<Uint8Array>): Promise<void> {
    let buffer = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === "") continue;
        try {
          this.events.push(JSON.parse(line));
        } catch {
          this.stderr += `(stdout) ${line}\n`;
        }
      }
    }
  }
}
