/**
 * The one place that opens UDP port 5353: a thin {@linkcode PacketTransport}
 * over `node:dgram` (which, unlike `Deno.listenDatagram`, joins multicast
 * groups without the unstable `net` flag).
 *
 * @module
 */
import dgram from "node:dgram";
import os from "node:os";
import { Buffer } from "node:buffer";
import { createError, type Logger } from "../core/mod.ts";
import { MDNS_ADDRESS, MDNS_PORT } from "./service_records.ts";
import type { PacketListener, PacketTransport, RemoteInfo } from "./packet_transport.ts";

/** One IPv4 interface the socket listens and sends on. */
export interface MdnsInterface {
  /** e.g. `eth0` */
  name: string;
  /** Its (first) IPv4 address. */
  address: string;
}

/** `os.networkInterfaces()`'s shape, the parts used here. */
export type InterfaceList = Record<
  string,
  | readonly { address: string; family: string | number; internal: boolean; netmask?: string }[]
  | undefined
>;

/**
 * The interfaces to use for mDNS: one IPv4 address per interface. By default
 * every non-internal one, or the loopback when there is none (so that nodes on
 * one lone machine still find each other); with `only`, the interfaces named
 * there (by name or address), loopback included if named.
 *
 * @param only names or addresses to restrict to; empty or absent means all
 * @param list the interfaces
 * @returns the chosen interfaces, possibly none
 */
export function multicastInterfaces(
  only: readonly string[] = [],
  list: InterfaceList = os.networkInterfaces(),
): MdnsInterface[] {
  const all: (MdnsInterface & { internal: boolean })[] = [];
  for (const [name, addresses] of Object.entries(list)) {
    const v4 = addresses?.find((a) => a.family === "IPv4" || a.family === 4);
    if (v4 !== undefined) all.push({ name, address: v4.address, internal: v4.internal });
  }
  const chosen = only.length > 0
    ? all.filter((i) => only.includes(i.name) || only.includes(i.address))
    : all.some((i) => !i.internal)
    ? all.filter((i) => !i.internal)
    : all;
  return chosen.map(({ name, address }) => ({ name, address }));
}

/**
 * The interfaces mDNS follows for a node API bound to `bind`: every interface
 * for a wildcard (`0.0.0.0`, `::`, see {@linkcode multicastInterfaces}); the
 * loopback only for a loopback address (`127.0.0.0/8`, `::1`, `localhost`), so a
 * node kept on this machine says nothing on the network; for another address,
 * the interface that holds it, or none when no interface does. A host name other
 * than `localhost` is not resolved: every interface.
 *
 * @param bind the address the node API listens on
 * @param list the interfaces
 * @returns the chosen interfaces, possibly none
 */
export function interfacesForBind(
  bind: string,
  list: InterfaceList = os.networkInterfaces(),
): MdnsInterface[] {
  const address = bind.replace(/^\[|\]$/g, "").toLowerCase();
  if (address === "" || address === "0.0.0.0" || address === "::") {
    return multicastInterfaces([], list);
  }
  const loopback = isLoopback(address);
  const chosen: MdnsInterface[] = [];
  for (const [name, addresses] of Object.entries(list)) {
    const v4 = addresses?.filter((a) => a.family === "IPv4" || a.family === 4) ?? [];
    const holds = loopback
      ? v4.some((a) => a.internal && isLoopback(a.address))
      : addresses?.some((a) => a.address.toLowerCase() === address);
    if (!holds) continue;
    const own = v4.find((a) => a.address === address) ??
      (loopback ? v4.find((a) => isLoopback(a.address)) : v4[0]);
    if (own !== undefined) chosen.push({ name, address: own.address });
  }
  if (chosen.length > 0 || loopback || /^[\d.]+$|:/.test(address)) return chosen;
  return multicastInterfaces([], list); // a host name
}

/** True for `127.0.0.0/8`, `::1` and `localhost`. */
function isLoopback(address: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(address) || address === "::1" || address === "localhost";
}

/**
 * Which sources a socket following `bind` hears: from loopback only when every
 * chosen interface is a loopback, else from the subnets of the chosen interfaces
 * (as `list` gives their netmasks); any source for a wildcard bind.
 */
function sourceFilter(
  bind: string | undefined,
  chosen: readonly MdnsInterface[],
  list: InterfaceList,
): ((address: string) => boolean) | null {
  const address = bind?.replace(/^\[|\]$/g, "");
  if (address === undefined || address === "" || address === "0.0.0.0" || address === "::") {
    return null;
  }
  const nets = chosen.map((iface) => {
    const entry = list[iface.name]?.find((a) => a.address === iface.address);
    const mask = isLoopback(iface.address) ? "255.0.0.0" : entry?.netmask;
    return mask === undefined ? null : { base: ipv4ToInt(iface.address), mask: ipv4ToInt(mask) };
  });
  if (nets.some((n) => n === null || Number.isNaN(n.base) || Number.isNaN(n.mask))) return null;
  return (source) => {
    const ip = ipv4ToInt(source);
    return nets.some((n) => ((ip & n!.mask) >>> 0) === ((n!.base & n!.mask) >>> 0));
  };
}

function ipv4ToInt(address: string): number {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    return NaN;
  }
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** Options of {@linkcode MdnsSocket.open}. */
export interface MdnsSocketOptions {
  /**
   * Interface names or IPv4 addresses to use; wins over `bind`.
   * @default every non-internal IPv4 interface (see {@linkcode multicastInterfaces})
   */
  interfaces?: readonly string[];
  /**
   * The node API's address, which mDNS follows (see {@linkcode interfacesForBind}):
   * a loopback address keeps mDNS on the loopback, another address on its
   * interface, and datagrams from elsewhere are not heard.
   * @default "0.0.0.0", every interface
   */
  bind?: string;
  /**
   * The UDP port; only tests use another.
   * @default 5353
   */
  port?: number;
  /**
   * The multicast group.
   * @default "224.0.0.251"
   */
  group?: string;
  /** Where socket errors are reported. */
  logger?: Logger;
  /** The network interfaces to join the group on, injectable for tests. @default os.networkInterfaces() */
  interfaceList?: InterfaceList;
}

/**
 * A UDP socket bound to 0.0.0.0:5353 with SO_REUSEADDR (so that Avahi, Bonjour
 * and other nodes on the same machine can share the port), a member of
 * 224.0.0.251 on each chosen interface, multicast TTL 255 (RFC 6762 §11) and
 * loopback on, so that two nodes on one machine hear each other.
 *
 * @example
 * ```ts
 * const socket = await MdnsSocket.open();
 * socket.onPacket((bytes, from) => console.log(from.address, bytes.length));
 * await socket.send(encode(queryPacket()));
 * await socket.close();
 * ```
 */
export class MdnsSocket implements PacketTransport {
  /** The interfaces joined, each with the address our datagrams leave from. */
  readonly interfaces: readonly MdnsInterface[];
  readonly #socket: dgram.Socket;
  readonly #port: number;
  readonly #group: string;
  readonly #listeners = new Set<PacketListener>();
  #sending: Promise<void> = Promise.resolve();
  #closed: Promise<void> | null = null;

  private constructor(
    socket: dgram.Socket,
    interfaces: MdnsInterface[],
    port: number,
    group: string,
    accept: ((address: string) => boolean) | null,
  ) {
    this.#socket = socket;
    this.interfaces = Object.freeze(interfaces);
    this.#port = port;
    this.#group = group;
    socket.on("message", (message: Buffer, rinfo: dgram.RemoteInfo) => {
      // Bound to 0.0.0.0, the socket also gets the group's datagrams from interfaces
      // it did not join (Linux's IP_MULTICAST_ALL), and unicast from anywhere.
      if (accept !== null && !accept(rinfo.address)) return;
      const bytes = new Uint8Array(message);
      const from = { address: rinfo.address, port: rinfo.port };
      for (const listener of [...this.#listeners]) listener(bytes, from);
    });
  }

  /**
   * Opens the socket and joins the group.
   *
   * @throws {MycoError} `internal` when the port cannot be bound or no interface can join the group
   */
  static async open(options: MdnsSocketOptions = {}): Promise<MdnsSocket> {
    const port = options.port ?? MDNS_PORT;
    const group = options.group ?? MDNS_ADDRESS;
    const logger = options.logger;
    const list = options.interfaceList ?? os.networkInterfaces();
    const named = (options.interfaces?.length ?? 0) > 0;
    const wanted = named || options.bind === undefined
      ? multicastInterfaces(options.interfaces ?? [], list)
      : interfacesForBind(options.bind, list);
    if (wanted.length === 0) {
      throw createError("internal", "No IPv4 interface for mDNS", {
        hint: named
          ? `None of ${options.interfaces!.join(", ")} has an IPv4 address.`
          : options.bind !== undefined
          ? `No interface holds ${options.bind}; list peers in MYCOSWARM_PEERS=host:port,...`
          : "List peers in MYCOSWARM_PEERS=host:port,... instead.",
      });
    }
    const socket = dgram.createSocket({ type: "udp4", reuseAddr: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind({ port, address: "0.0.0.0", exclusive: false }, () => {
          socket.off("error", reject);
          resolve();
        });
      });
    } catch (cause) {
      await closeQuietly(socket);
      throw createError("internal", `Cannot open UDP port ${port} for mDNS: ${cause}`, {
        cause,
        hint: "Another program holds the port without sharing it; stop it, or list peers " +
          "in MYCOSWARM_PEERS=host:port,...",
      });
    }
    socket.on("error", (error) => logger?.warn(`mDNS socket: ${error.message}`));
    const joined: MdnsInterface[] = [];
    for (const iface of wanted) {
      try {
        socket.addMembership(group, iface.address);
        joined.push(iface);
      } catch (error) {
        logger?.warn(`mDNS: cannot join ${group} on ${iface.name}: ${(error as Error).message}`);
      }
    }
    if (joined.length === 0) {
      await closeQuietly(socket);
      throw createError("internal", `Cannot join the mDNS group ${group} on any interface`, {
        hint: "Multicast may be off on this network; list peers in MYCOSWARM_PEERS=host:port,...",
      });
    }
    socket.setMulticastTTL(255);
    socket.setMulticastLoopback(true);
    socket.setMulticastInterface(joined[0]!.address);
    const accept = named ? null : sourceFilter(options.bind, joined, list);
    return new MdnsSocket(socket, joined, port, group, accept);
  }

  /** The IPv4 addresses of the joined interfaces, for our A records. */
  addresses(): string[] {
    return this.interfaces.map((i) => i.address);
  }

  /**
   * Sends to the group on every interface (one after another, since the
   * outgoing interface is a socket option), or by unicast to `to`.
   */
  send(bytes: Uint8Array, to?: RemoteInfo): Promise<void> {
    if (this.#closed !== null) return Promise.reject(new Error("mDNS socket is closed"));
    const run = () => to === undefined ? this.#multicast(bytes) : this.#sendTo(bytes, to);
    const result = this.#sending.then(run);
    this.#sending = result.catch(() => {});
    return result;
  }

  /** Subscribes to incoming datagrams. */
  onPacket(listener: PacketListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes the socket after queued sends. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#sending;
      this.#listeners.clear();
      await closeQuietly(this.#socket);
    })();
    return this.#closed;
  }

  async #multicast(bytes: Uint8Array): Promise<void> {
    let firstError: unknown = null;
    let sent = 0;
    for (const iface of this.interfaces) {
      try {
        if (this.interfaces.length > 1) this.#socket.setMulticastInterface(iface.address);
        await this.#sendTo(bytes, { address: this.#group, port: this.#port });
        sent++;
      } catch (error) {
        firstError ??= error;
      }
    }
    if (sent === 0 && firstError !== null) throw firstError;
  }

  #sendTo(bytes: Uint8Array, to: RemoteInfo): Promise<void> {
    return new Promise((resolve, reject) => {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      this.#socket.send(buffer, to.port, to.address, (error) => error ? reject(error) : resolve());
    });
  }
}

function closeQuietly(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}
