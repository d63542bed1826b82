/**
 * Avahi as a real peer for interop tests: a private D-Bus system bus (its own
 * socket in a temp folder, so the machine's bus is neither needed nor touched)
 * and an `avahi-daemon` inside a test namespace, plus the helpers to run
 * `avahi-browse` and `avahi-publish-service` against it. Installs nothing.
 *
 * @module
 */
import { netnsUnavailable, onPath, type TestNet } from "./netns.ts";
import { waitUntil } from "./discovery_nodes.ts";

const TOOLS = ["avahi-daemon", "avahi-browse", "avahi-publish-service", "dbus-daemon"];

/** Why the Avahi interop test cannot run here, or `null` when it can. */
export async function avahiUnavailable(): Promise<string | null> {
  const netns = await netnsUnavailable();
  if (netns !== null) return netns;
  const missing = [];
  for (const tool of TOOLS) if (!await onPath(tool)) missing.push(tool);
  if (missing.length > 0) {
    return `${missing.join(", ")} not installed (apt-get install avahi-daemon avahi-utils dbus)`;
  }
  return null;
}

/** A program started by a test, with its output collected as it comes. */
export class Helper {
  readonly name: string;
  readonly pid: number;
  output = "";
  readonly #child: Deno.ChildProcess;
  readonly #done: Promise<Deno.CommandStatus>;
  #status: Deno.CommandStatus | null = null;

  constructor(name: string, cmd: string, args: string[], env: Record<string, string>) {
    this.name = name;
    this.#child = new Deno.Command(cmd, {
      args,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    })
      .spawn();
    this.pid = this.#child.pid;
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) this.output += text;
    };
    this.#done = Promise.all([
      this.#child.status,
      collect(this.#child.stdout),
      collect(this.#child.stderr),
    ]).then(([status]) => this.#status = status);
  }

  /** Whether it has exited (and its output is all read). */
  get exited(): boolean {
    return this.#status !== null;
  }

  /** Waits for `text` in its output, at most `timeoutMs`. */
  async waitForOutput(text: string, timeoutMs: number): Promise<void> {
    await waitUntil(
      () => this.output.includes(text) || this.exited,
      timeoutMs,
      `${this.name} to print "${text}"`,
    );
    if (!this.output.includes(text)) {
      throw new Error(`${this.name} exited before printing "${text}":\n${this.output}`);
    }
  }

  /** Waits for it to exit by itself, at most `timeoutMs`, then stops it. */
  async finish(timeoutMs: number): Promise<Deno.CommandStatus> {
    await waitUntil(() => this.exited, timeoutMs, `${this.name} to exit`).catch(() => {});
    return await this.stop();
  }

  /** SIGTERM, then SIGKILL after `graceMs`; waits for it. Never throws. */
  async stop(graceMs = 3_000): Promise<Deno.CommandStatus> {
    if (!this.exited) {
      this.#signal("SIGTERM");
      await waitUntil(() => this.exited, graceMs, `${this.name} to stop`).catch(() => {
        this.#signal("SIGKILL");
      });
    }
    return await this.#done;
  }

  #signal(signal: Deno.Signal): void {
    try {
      this.#child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** A private system bus plus an avahi-daemon in namespace `index` of `net`. */
export class AvahiPeer {
  /** The environment that points Avahi's tools at our bus. */
  readonly env: Record<string, string>;
  readonly #net: TestNet;
  readonly #index: number;
  readonly #dir: string;
  readonly #helpers: Helper[] = [];

  private constructor(net: TestNet, index: number, dir: string) {
    this.#net = net;
    this.#index = index;
    this.#dir = dir;
    this.env = { DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${dir}/bus.sock` };
  }

  /**
   * Starts the bus and the daemon (host name `hostName`), and waits until
   * Avahi has finished start-up (at most 20 s).
   */
  static async start(net: TestNet, index: number, hostName: string): Promise<AvahiPeer> {
    const dir = await Deno.makeTempDir({ prefix: "myco-avahi-" });
    const peer = new AvahiPeer(net, index, dir);
    try {
      await Deno.writeTextFile(`${dir}/bus.conf`, busConfig(`${dir}/bus.sock`));
      await Deno.writeTextFile(`${dir}/avahi.conf`, avahiConfig(hostName, net.interfaceName));
      const bus = peer.#spawn("dbus-daemon", "dbus-daemon", [
        `--config-file=${dir}/bus.conf`,
        "--nofork",
        "--nopidfile",
      ]);
      await waitUntil(() => exists(`${dir}/bus.sock`) || bus.exited, 10_000, "the D-Bus socket");
      if (bus.exited) throw new Error(`dbus-daemon failed:\n${bus.output}`);
      // `ip netns exec` runs the command in a mount namespace of its own: a tmpfs
      // on /run there keeps Avahi's pid file and socket apart from any
      // avahi-daemon the machine itself runs.
      const avahi = peer.#spawn(
        "avahi-daemon",
        "ip",
        net.execArgs(index, [
          "sh",
          "-c",
          'mount -t tmpfs tmpfs /run && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$1"',
          "sh",
          `${dir}/avahi.conf`,
        ]),
      );
      await avahi.waitForOutput("Server startup complete", 20_000);
    } catch (error) {
      await peer.stop();
      throw error;
    }
    return peer;
  }

  /** Runs a program in Avahi's namespace against our bus. */
  run(name: string, command: string[]): Helper {
    return this.#spawn(name, "ip", this.#net.execArgs(this.#index, command));
  }

  /** Stops everything it started (by pid, newest first) and removes its files. */
  async stop(): Promise<void> {
    for (const helper of [...this.#helpers].reverse()) await helper.stop();
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }

  #spawn(name: string, cmd: string, args: string[]): Helper {
    const helper = new Helper(name, cmd, args, this.env);
    this.#helpers.push(helper);
    return helper;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** A bus that lets anyone own and call anything: it exists for one test only. */
function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`;
}

function avahiConfig(hostName: string, iface: string): string {
  return `[server]
host-name=${hostName}
use-ipv4=yes
use-ipv6=no
allow-interfaces=${iface}
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
`;
}

/** One resolved line of `avahi-browse -rpt`. */
export interface BrowseEntry {
  iface: string;
  protocol: string;
  name: string;
  type: string;
  domain: string;
  host: string;
  address: string;
  port: number;
  txt: Record<string, string>;
}

/** Parses the resolved (`=`) lines of `avahi-browse -p -r` output. */
export function parseBrowse(output: string): BrowseEntry[] {
  const entries: BrowseEntry[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("=;")) continue;
    const [, iface, protocol, name, type, domain, host, address, port, ...rest] = line.split(";");
    const txt: Record<string, string> = {};
    for (const [, field] of rest.join(";").matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const eq = field!.indexOf("=");
      if (eq > 0) txt[field!.slice(0, eq)] = field!.slice(eq + 1);
    }
    entries.push({
      iface: iface!,
      protocol: protocol!,
      name: name!,
      type: type!,
      domain: domain!,
      host: host!,
      address: address!,
      port: Number(port),
      txt,
    });
  }
  return entries;
}
