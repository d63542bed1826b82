/**
 * Throw-away test networks made of Linux network namespaces: one namespace per
 * node, each with a veth whose other end sits on a bridge in a "switch"
 * namespace of its own, so nothing is added to the machine's own network. The
 * 10.x addresses live inside the namespaces only. Everything is removed by
 * {@linkcode TestNet.cleanup}.
 *
 * @module
 */

/** What a command printed. */
export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; a missing program gives code 127. */
export async function run(cmd: string, args: readonly string[]): Promise<Ran> {
  try {
    const out = await new Deno.Command(cmd, { args: [...args], stdin: "null" }).output();
    const text = new TextDecoder();
    return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  } catch (error) {
    return { code: 127, stdout: "", stderr: String(error) };
  }
}

async function must(cmd: string, args: readonly string[]): Promise<string> {
  const result = await run(cmd, args);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${result.code}): ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** True when `name` is an executable on PATH. */
export async function onPath(name: string): Promise<boolean> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    try {
      const info = await Deno.stat(`${dir}/${name}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return true;
    } catch {
      // not here
    }
  }
  return false;
}

let made = 0;

/**
 * Why network namespaces cannot be used here, or `null` when they can (the
 * check makes and removes one namespace).
 */
export async function netnsUnavailable(): Promise<string | null> {
  if (Deno.build.os !== "linux") return `network namespaces need Linux (this is ${Deno.build.os})`;
  if (Deno.uid() !== 0) return "network namespaces need root (run the tests as root)";
  if (!await onPath("ip")) return "`ip` (iproute2) is not installed";
  const name = `myco-t${Deno.pid}-check${made++}`;
  const added = await run("ip", ["netns", "add", name]);
  if (added.code !== 0) return `\`ip netns add\` failed: ${added.stderr.trim()}`;
  await run("ip", ["netns", "del", name]);
  return null;
}

/** Some namespaces on one bridge. */
export class TestNet {
  /** The node namespaces, in order. */
  readonly namespaces: string[];
  /** The namespace holding the bridge. */
  readonly switchNamespace: string;
  readonly #subnet: string;
  readonly #created: string[] = [];

  private constructor(prefix: string, count: number, subnet: string) {
    this.namespaces = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    this.switchNamespace = `${prefix}-sw`;
    this.#subnet = subnet;
  }

  /**
   * Makes `count` namespaces named `myco-t<pid>-<n>-<i>`, each with `eth0` at
   * `10.<x>.<y>.<i+1>/24` and a multicast route, on one bridge.
   */
  static async create(count: number): Promise<TestNet> {
    const n = made++;
    const net = new TestNet(
      `myco-t${Deno.pid}-${n}`,
      count,
      `10.${200 + (n % 50)}.${Deno.pid % 250}`,
    );
    try {
      await net.#build();
    } catch (error) {
      await net.cleanup();
      throw error;
    }
    return net;
  }

  /** The IPv4 address of node `i`. */
  address(i: number): string {
    return `${this.#subnet}.${i + 1}`;
  }

  /** The interface name of every node inside its namespace. */
  get interfaceName(): string {
    return "eth0";
  }

  /** `ip netns exec` arguments that run `command` in node `i`'s namespace. */
  execArgs(i: number, command: readonly string[]): string[] {
    return ["netns", "exec", this.namespaces[i]!, ...command];
  }

  /**
   * Removes everything: kills whatever still runs in our namespaces (only
   * processes these tests started can be there), deletes the bridge and the
   * namespaces (which takes the veths with them). Never throws.
   */
  async cleanup(): Promise<void> {
    for (const ns of this.#created) {
      const pids = await run("ip", ["netns", "pids", ns]);
      for (const pid of pids.stdout.split(/\s+/).filter((p) => /^\d+$/.test(p))) {
        try {
          Deno.kill(Number(pid), "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    if (this.#created.includes(this.switchNamespace)) {
      await run("ip", ["-n", this.switchNamespace, "link", "del", "br0"]);
    }
    for (const ns of [...this.#created].reverse()) await run("ip", ["netns", "del", ns]);
    this.#created.length = 0;
  }

  async #build(): Promise<void> {
    const sw = this.switchNamespace;
    await must("ip", ["netns", "add", sw]);
    this.#created.push(sw);
    await must("ip", ["-n", sw, "link", "add", "br0", "type", "bridge"]);
    // Flood all multicast: no IGMP querier runs on this bridge.
    await must("ip", ["-n", sw, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0"]);
    await must("ip", ["-n", sw, "link", "set", "br0", "up"]);
    for (const [i, ns] of this.namespaces.entries()) {
      await must("ip", ["netns", "add", ns]);
      this.#created.push(ns);
      const port = `v${i}`;
      await must("ip", [
        "-n",
        ns,
        "link",
        "add",
        "eth0",
        "type",
        "veth",
        "peer",
        "name",
        port,
        "netns",
        sw,
      ]);
      await must("ip", ["-n", sw, "link", "set", port, "master", "br0", "up"]);
      await must("ip", ["-n", ns, "addr", "add", `${this.address(i)}/24`, "dev", "eth0"]);
      await must("ip", ["-n", ns, "link", "set", "eth0", "up"]);
      await must("ip", ["-n", ns, "link", "set", "lo", "up"]);
      await must("ip", ["-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0"]);
    }
  }
}
