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
  readonly { address: string; family: string | number; internal: boolean }[] | undefined
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

/** Options of {@linkcode MdnsSocket.open}. */
export interface MdnsSocketOptions {
  /**
   * Interface names or IPv4 addresses to use.
   * @default every non-internal IPv4 interface (see {@linkcode multicastInterfaces})
   */
  interfaces?: readonly string[];
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
  ) {
    this.#socket = socket;
    this.interfaces = Object.freeze(interfaces);
    this.#port = port;
    this.#group = group;
    socket.on("message", (message: Buffer, rinfo: dgram.RemoteInfo) => {
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
    const wanted = multicastInterfaces(options.interfaces ?? [], options.interfaceList);
    if (wanted.length === 0) {
      throw createError("internal", "No IPv4 interface for mDNS", {
        hint: options.interfaces?.length
          ? `None of ${options.interfaces.join(", ")} has an IPv4 address.`
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
    return new MdnsSocket(socket, joined, port, group);
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
