/**
 * An in-memory network of {@linkcode PacketTransport}s for tests, in the manner
 * of memberlist's `MockNetwork`: multicast reaches every member on the mDNS port
 * (the sender too, like IP_MULTICAST_LOOP), unicast reaches the member at that
 * address and port. Delivery is asynchronous (a microtask), as on a real socket.
 *
 * @module
 */
import { MDNS_PORT } from "./service_records.ts";
import type { PacketListener, PacketTransport, RemoteInfo } from "./packet_transport.ts";

/** One datagram on the in-memory network. */
export interface MemoryDatagram {
  from: RemoteInfo;
  /** `null` for multicast. */
  to: RemoteInfo | null;
  bytes: Uint8Array;
}

/** A set of in-memory transports that hear each other. */
export class MemoryNetwork {
  /**
   * Decides per datagram whether it is lost; return true to drop it.
   * @default never
   */
  drop: (datagram: MemoryDatagram) => boolean = () => false;
  /** Every datagram sent, in order, dropped ones included. */
  readonly sent: MemoryDatagram[] = [];
  readonly #members = new Set<MemoryEndpoint>();
  #inFlight = 0;

  /**
   * Adds a member.
   *
   * @param address its IPv4 address
   * @param port its UDP port; only members on 5353 hear multicast
   * @returns its transport
   */
  join(address: string, port: number = MDNS_PORT): PacketTransport {
    const endpoint = new MemoryEndpoint(this, { address, port });
    this.#members.add(endpoint);
    return endpoint;
  }

  /** Datagrams sent but not yet delivered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** @internal */
  leave(endpoint: MemoryEndpoint): void {
    this.#members.delete(endpoint);
  }

  /** @internal */
  deliver(datagram: MemoryDatagram): void {
    this.sent.push(datagram);
    if (this.drop(datagram)) return;
    const { to } = datagram;
    const targets = [...this.#members].filter((m) =>
      to === null
        ? m.self.port === MDNS_PORT
        : m.self.address === to.address && m.self.port === to.port
    );
    this.#inFlight++;
    queueMicrotask(() => {
      this.#inFlight--;
      for (const target of targets) target.receive(datagram.bytes.slice(), { ...datagram.from });
    });
  }
}

class MemoryEndpoint implements PacketTransport {
  readonly #listeners = new Set<PacketListener>();
  #closed = false;

  constructor(readonly network: MemoryNetwork, readonly self: RemoteInfo) {}

  send(bytes: Uint8Array, to?: RemoteInfo): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("transport is closed"));
    this.network.deliver({ from: { ...this.self }, to: to ?? null, bytes: bytes.slice() });
    return Promise.resolve();
  }

  onPacket(listener: PacketListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.network.leave(this);
    return Promise.resolve();
  }

  receive(bytes: Uint8Array, from: RemoteInfo): void {
    if (this.#closed) return;
    for (const listener of [...this.#listeners]) listener(bytes, from);
  }
}
