/**
 * The local daemon as commands reach it: `http://127.0.0.1:<[daemon] port>` with the swarm
 * token of this home. `swarm`, `ping` and `models` read the swarm through it; `ask` and
 * `chat` send their inference through it when it runs.
 */

import type { Config } from "../config/mod.ts";
import { createError, isMycoError } from "../core/mod.ts";
import type { NodeIdentity } from "../node/mod.ts";
import { readSwarmToken } from "../node/mod.ts";
import { getNodeJson, NodeHttpError } from "../orchestrator/mod.ts";
import type { PeerJson } from "../orchestrator/mod.ts";
import type { CliContext } from "./context.ts";

/** How long the daemon may take to answer `/identity` on this machine. */
const LOOKUP_TIMEOUT_MS = 2_000;

/** A daemon that answered with this home's token. */
export interface Daemon {
  url: string;
  token: string;
  /** Its `/identity`, read when it was found. */
  identity: NodeIdentity;
  /** GETs a JSON route of the daemon. */
  get<T>(path: string, options?: { timeoutMs?: number }): Promise<T>;
}

/** The daemon, or why there is none to use at `url`, where it was looked for. */
export type DaemonLookup =
  | { daemon: Daemon; problem: null }
  | { daemon: null; problem: string; running: boolean; url: string };

/** The daemon's URL on this machine: the one a running daemon wrote, else the configured port. */
function daemonUrl(config: Config): string {
  try {
    const written = Deno.readTextFileSync(config.paths.daemonUrlFile).trim();
    if (/^http:\/\/[^\s/]+$/.test(written)) return written;
  } catch {
    // no daemon wrote one: the configured port
  }
  return `http://127.0.0.1:${config.daemon.port}`;
}

/** Looks for the local daemon; never throws. */
export async function findDaemon(config: Config, ctx: CliContext): Promise<DaemonLookup> {
  const url = daemonUrl(config);
  const path = config.paths.swarmTokenFile;
  const token = await readSwarmToken(path).catch(() => null);
  const get = daemonGetter(url, token ?? "", ctx);
  try {
    const identity = await get<NodeIdentity>("/identity");
    return { daemon: { url, token: token!, identity, get }, problem: null };
  } catch (error) {
    if (error instanceof NodeHttpError && (error.status === 401 || error.status === 403)) {
      const why = token === null ? `there is no swarm token in ${path}` : "it refused the token";
      return {
        daemon: null,
        running: true,
        url,
        problem: `the daemon on ${url} answers, but ${why} (\`mycoswarm join <token>\` ` +
          "writes the swarm's token; a daemon of another MYCOSWARM_HOME may hold this port)",
      };
    }
    return {
      daemon: null,
      running: false,
      url,
      problem: `No mycoswarm daemon answers on ${url}: start one with \`mycoswarm daemon\` ` +
        "(or set MYCOSWARM_PORT to the port yours listens on)",
    };
  }
}

/** GETs JSON routes of the node at `url` with `token`, each within a timeout: `Daemon.get`. */
export function daemonGetter(url: string, token: string, ctx: Pick<CliContext, "fetch">) {
  return <T>(route: string, options: { timeoutMs?: number } = {}): Promise<T> =>
    timed(
      options.timeoutMs ?? LOOKUP_TIMEOUT_MS,
      (signal) => getNodeJson<T>(url, route, { fetch: ctx.fetch, token, signal }),
    );
}

/**
 * The daemon, for commands that cannot work without it.
 *
 * @throws MycoError `no_daemon` (exit 1) saying how to start one
 */
export async function requireDaemon(config: Config, ctx: CliContext): Promise<Daemon> {
  const found = await findDaemon(config, ctx);
  if (found.daemon !== null) return found.daemon;
  throw createError("no_daemon", found.problem.replace(/^the/, "The"));
}

/** The daemon's peers, as `GET /peers` lists them. */
export function daemonPeers(daemon: Daemon): Promise<PeerJson[]> {
  return daemon.get<PeerJson[]>("/peers");
}

/** One line for an error of a call to a node. */
export function describeFailure(error: unknown): string {
  if (error instanceof NodeHttpError) return `HTTP ${error.status}: ${error.message}`;
  if (isMycoError(error)) return error.message;
  if (error instanceof DOMException && error.name === "AbortError") return "timed out";
  const message = error instanceof Error ? error.message : String(error);
  if (/refused|os error 111/i.test(message)) return "connection refused";
  return message.split("\n")[0] ?? message;
}

/** Runs `fn` with a signal that aborts after `ms`; the timer never outlives the call. */
export async function timed<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await fn(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** A peer's API base URL, or null when it has no address. */
export function peerUrl(peer: PeerJson): string | null {
  if (peer.ip === null) return null;
  const host = peer.ip.includes(":") ? `[${peer.ip}]` : peer.ip;
  return `http://${host}:${peer.port}`;
}
