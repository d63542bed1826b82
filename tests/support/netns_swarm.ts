/**
 * A swarm of real daemons (`main.ts daemon`), one per network namespace of a
 * {@linkcode TestNet}, each with its own home, the same swarm token and, when asked, a
 * fake GPU (an `nvidia-smi` reporting an RTX 3090) and a test model server inside its
 * namespace. Commands and task clients run inside the namespaces too: the test process
 * itself cannot reach their addresses.
 *
 * @module
 */

import { TestNet } from "./netns.ts";
import { type DaemonProcess, startDaemon } from "./run_daemon.ts";
import { runMain, tempHome } from "./run_cli.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const FAKE_LLM = new URL("../../tasks/fake_llm.ts", import.meta.url).pathname;
const TASK_CLIENT = new URL("./task_client.ts", import.meta.url).pathname;
const FAKE_WEB = new URL("../../testing/fake_web.ts", import.meta.url).pathname;
/** Where each node's daemon listens, inside its namespace. */
export const NETNS_API_PORT = 7890;
const LLM_PORT = 11434;

/** One node to start. */
export interface NetnsNodeSpec {
  /** Puts a fake RTX 3090 `nvidia-smi` on the daemon's PATH. */
  gpu?: boolean;
  /** MYCOSWARM_TIER. */
  tier?: string;
  /** Flags of the node's test model server (`tasks/fake_llm.ts`); null: none. */
  llm?: string[] | null;
  /** Runs a fake SearXNG (`fake_web.ts`) in the node's namespace as its search provider. */
  web?: boolean;
}

/** A long-running process whose stdout lines are collected. */
export class LineProcess {
  readonly lines: string[] = [];
  readonly #child: Deno.ChildProcess;
  readonly done: Promise<Deno.CommandStatus>;

  constructor(program: string, args: string[], env: Record<string, string> = {}) {
    const child = new Deno.Command(program, {
      args,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#child = child;
    const reading = (async () => {
      let rest = "";
      for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop()!;
        this.lines.push(...parts);
      }
    })();
    this.done = Promise.all([child.status, reading]).then(([status]) => status);
  }

  /** The first line matching `pattern`, waiting at most `ms`. */
  async waitFor(pattern: RegExp, ms: number): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line !== undefined) return line;
      if (Date.now() > deadline) {
        throw new Error(`no line like ${pattern} in ${ms} ms: ${this.lines}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends `signal` (once it is gone, nothing) and waits for the exit. */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<Deno.CommandStatus> {
    try {
      this.#child.kill(signal);
    } catch { /* already gone */ }
    return await this.done;
  }
}

/** One running node. */
export interface NetnsNode {
  index: number;
  home: string;
  nodeId: string;
  daemon: DaemonProcess;
  llm: LineProcess | null;
  web: LineProcess | null;
  env: Record<string, string>;
}

/** The swarm; `close()` stops every process and removes the namespaces and homes. */
export class NetnsSwarm implements AsyncDisposable {
  readonly nodes: NetnsNode[] = [];
  readonly #homes: AsyncDisposable[] = [];

  private constructor(readonly net: TestNet, readonly token: string) {}

  /** Starts one node per spec, all at once. */
  static async start(specs: readonly NetnsNodeSpec[]): Promise<NetnsSwarm> {
    const net = await TestNet.create(specs.length);
    const first = await tempHome();
    const token = (await runMain(["token"], { env: { MYCOSWARM_HOME: first.home } })).stdout.trim();
    const swarm = new NetnsSwarm(net, token);
    swarm.#homes.push(first);
    try {
      const homes = [first, ...await Promise.all(specs.slice(1).map(() => tempHome()))];
      swarm.#homes.push(...homes.slice(1));
      await Promise.all(
        homes.slice(1).map((h) => runMain(["join", token], { env: { MYCOSWARM_HOME: h.home } })),
      );
      await Promise.all(specs.map((spec, i) => swarm.#startNode(i, spec, homes[i]!.home)));
    } catch (error) {
      await swarm.close();
      throw error;
    }
    return swarm;
  }

  /** Runs `main.ts <args>` as node `i` (its home, its daemon), inside its namespace. */
  run(i: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const node = this.nodes[i]!;
    return new Deno.Command("ip", {
      args: this.net.execArgs(i, [Deno.execPath(), "run", "--quiet", "-A", MAIN, ...args]),
      env: { PATH: Deno.env.get("PATH")!, NO_COLOR: "1", ...node.env },
      clearEnv: true,
      stdin: "null",
    }).output().then((out) => ({
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    }));
  }

  /** Submits `body` to node `i`'s daemon from inside its namespace; see `task_client.ts`. */
  submit(i: number, body: Record<string, unknown>): LineProcess {
    const url = `http://127.0.0.1:${NETNS_API_PORT}`;
    const command = [Deno.execPath(), "run", "--quiet", "-A", TASK_CLIENT, url, this.token];
    return new LineProcess("ip", this.net.execArgs(i, [...command, JSON.stringify(body)]));
  }

  /** Waits until every node's `swarm --json` shows every other node alive. */
  async converge(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    for (const [i] of this.nodes.entries()) {
      for (;;) {
        const out = await this.run(i, ["swarm", "--json"]);
        const nodes = out.code === 0 ? JSON.parse(out.stdout).nodes as { state: string }[] : [];
        if (nodes.filter((n) => n.state === "alive").length === this.nodes.length) break;
        if (Date.now() > deadline) {
          throw new Error(`node ${i} did not see the swarm: ${out.stdout}${out.stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Stops everything and removes the namespaces and homes. Never throws. */
  async close(): Promise<void> {
    await Promise.all(this.nodes.map(async (n) => {
      await n.daemon.stop("SIGKILL").catch(() => {});
      await n.llm?.stop("SIGKILL");
      await n.web?.stop("SIGKILL");
    }));
    await this.net.cleanup();
    for (const home of this.#homes) {
      await Promise.resolve(home[Symbol.asyncDispose]()).catch(() => {});
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #startNode(i: number, spec: NetnsNodeSpec, home: string): Promise<void> {
    const env: Record<string, string> = {
      MYCOSWARM_HOME: home,
      MYCOSWARM_PORT: String(NETNS_API_PORT),
      OLLAMA_HOST: `127.0.0.1:${LLM_PORT}`,
      ...(spec.tier ? { MYCOSWARM_TIER: spec.tier } : {}),
    };
    if (spec.gpu) {
      await Deno.mkdir(`${home}/bin`);
      await Deno.writeTextFile(
        `${home}/bin/nvidia-smi`,
        '#!/bin/sh\necho "NVIDIA GeForce RTX 3090, 24576, 23000"\n',
        { mode: 0o755 },
      );
      env.PATH = `${home}/bin:${Deno.env.get("PATH")}`;
    }
    let llm: LineProcess | null = null;
    if (spec.llm !== null) {
      const flags = ["--port", String(LLM_PORT), ...(spec.llm ?? [])];
      llm = new LineProcess(
        "ip",
        this.net.execArgs(i, [Deno.execPath(), "run", "--quiet", "-A", FAKE_LLM, ...flags]),
      );
      await llm.waitFor(/listening on/, 30_000);
    }
    let web: LineProcess | null = null;
    if (spec.web) {
      web = new LineProcess(
        "ip",
        this.net.execArgs(i, [Deno.execPath(), "run", "--quiet", "-A", FAKE_WEB]),
      );
      const line = await web.waitFor(/fake web listening on/, 30_000);
      env.MYCOSWARM_SEARXNG_URL = `${line.split(" on ")[1]}/searx`;
    }
    const daemon = await startDaemon(env, ["--port", String(NETNS_API_PORT)], {
      prefix: ["ip", ...this.net.execArgs(i, [])],
    });
    const nodeId = daemon.stdout().match(/mycoswarm daemon (myco-[0-9a-f]{12})/)![1]!;
    this.nodes[i] = { index: i, home, nodeId, daemon, llm, web, env };
  }
}
