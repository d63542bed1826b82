/**
 * The SSRF guard: which URLs a node may fetch for a peer. A page request can
 * come from anywhere in the swarm, so by default only public addresses are
 * read, and the node's own API on loopback never is.
 */

import { createError } from "../core/mod.ts";
import { classifyAddress } from "./_ip.ts";
import { why } from "./_messages.ts";

/** Name resolution: a host name to its IPv4/IPv6 addresses. */
export type Resolver = (host: string, signal?: AbortSignal) => Promise<string[]>;

/** The daemon's default API port (config `daemon.port`). */
export const DEFAULT_API_PORT = 7890;

/** What {@linkcode checkTarget} allows. */
export interface TargetPolicy {
  /** Allow loopback, link-local, private and other non-public addresses. */
  allowPrivate: boolean;
  /**
   * This node's API port, refused on loopback even when `allowPrivate` is set: the port the
   * daemon listens on, read at each check (a getter, as the port is known only once listening).
   */
  ownApiPort: number | (() => number);
  /** Resolves names; its answer is what the guard checks and the transport connects to. */
  resolve: Resolver;
  /** Cancels the resolution. */
  signal?: AbortSignal | undefined;
}

/**
 * Checks one URL (each redirect hop is checked again) and returns the addresses it checked.
 * Only those may be connected to: a second lookup could answer differently (DNS rebinding),
 * so the transport is pinned to them.
 *
 * @returns every address `url`'s host resolved to, all allowed (the literal for an IP URL)
 * @throws MycoError `url_refused` for a non-http(s) URL or a refused address,
 * `web_unavailable` when the host name does not resolve
 */
export async function checkTarget(url: URL, policy: TargetPolicy): Promise<string[]> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw createError("url_refused", `Only http and https pages can be read, not ${url.protocol}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  const literal = classifyAddress(host) !== null;
  const addresses = literal ? [host] : await resolveName(host, policy);
  const ownApiPort = typeof policy.ownApiPort === "function"
    ? policy.ownApiPort()
    : policy.ownApiPort;
  for (const address of addresses) {
    const kind = classifyAddress(address) ?? "reserved";
    const where = literal ? `${url.host} is` : `${url.host} resolves to ${address},`;
    if ((kind === "loopback" || kind === "unspecified") && port === ownApiPort) {
      throw createError(
        "url_refused",
        `${where} this node's own API (port ${port} on loopback); it is never fetched`,
      );
    }
    if (kind !== "public" && !policy.allowPrivate) {
      throw createError(
        "url_refused",
        `${where} a ${kind} address; pages on local networks are not fetched (SSRF guard)`,
      );
    }
  }
  return addresses;
}

async function resolveName(host: string, policy: TargetPolicy): Promise<string[]> {
  // RFC 6761: localhost names are loopback whatever DNS says.
  const name = host.replace(/\.$/, "").toLowerCase(); // "localhost." is localhost too
  if (name === "localhost" || name.endsWith(".localhost")) return ["127.0.0.1", "::1"];
  let addresses: string[];
  try {
    addresses = await policy.resolve(host, policy.signal);
  } catch (error) {
    throw createError("web_unavailable", `Cannot resolve ${host}: ${why(error)}`);
  }
  if (addresses.length === 0) {
    throw createError("web_unavailable", `Cannot resolve ${host}: no addresses`);
  }
  return addresses;
}

/**
 * Resolves a name with `Deno.resolveDns` (A and AAAA). It asks DNS directly,
 * not /etc/hosts; a name only /etc/hosts knows fails, which refuses the fetch.
 */
export const resolveHost: Resolver = async (host, signal) => {
  const options = signal ? { signal } : {};
  const [v4, v6] = await Promise.allSettled([
    Deno.resolveDns(host, "A", options),
    Deno.resolveDns(host, "AAAA", options),
  ]);
  const addresses = [
    ...(v4.status === "fulfilled" ? v4.value : []),
    ...(v6.status === "fulfilled" ? v6.value : []),
  ];
  if (addresses.length === 0 && v4.status === "rejected") throw v4.reason;
  return addresses;
};
