/**
 * The seam between discovery and the network: something that sends and
 * receives mDNS datagrams. {@linkcode MdnsSocket} is the real one (UDP 5353);
 * {@linkcode MemoryNetwork} gives in-memory ones for tests, in the manner of
 * memberlist's `MockNetwork` and multicast-dns's `opts.socket`.
 *
 * @module
 */

/** Where a datagram came from, or where a unicast one goes. */
export interface RemoteInfo {
  /** The IPv4 address, so replies can go back by unicast. */
  address: string;
  /** The UDP port, 5353 unless the sender asked for a unicast answer. */
  port: number;
}

/** Receives one datagram. Called synchronously by the transport; must not throw. */
export type PacketListener = (bytes: Uint8Array, from: RemoteInfo) => void;

/** Sends and receives mDNS datagrams. */
export interface PacketTransport {
  /**
   * Sends a datagram: to the mDNS group on every interface when `to` is left
   * out, else by unicast to `to` (legacy and QU replies, RFC 6762 §5.4, §6.7).
   * Rejects when it could not be sent on any interface.
   */
  send(bytes: Uint8Array, to?: RemoteInfo): Promise<void>;
  /**
   * Subscribes to incoming datagrams, our own multicast ones included.
   *
   * @returns a function that unsubscribes
   */
  onPacket(listener: PacketListener): () => void;
  /** Stops sending and receiving. Idempotent. */
  close(): Promise<void>;
}
