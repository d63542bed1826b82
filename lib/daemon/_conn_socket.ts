/**
 * A `Deno.Conn` as the `node:stream` Duplex that `node:http`'s parser reads from: the daemon
 * accepts its own connections (so that it can cap them and survive EMFILE) and hands each
 * to `node:http` through {@linkcode ConnSocket}.
 *
 * @module
 */

import { Duplex } from "node:stream";

/** Read size: one TCP window's worth keeps a body upload to few reads. */
const READ_BYTES = 16 * 1024;

/** A `Deno.Conn` as a `node:net`-like socket: bytes, the peer's address, destroy. */
export class ConnSocket extends Duplex {
  /** The peer's address, as `node:net` names it (`req.socket.remoteAddress`). */
  readonly remoteAddress: string;
  /** The peer's port. */
  readonly remotePort: number;
  /** "IPv4" or "IPv6". */
  readonly remoteFamily: string;
  readonly #conn: Deno.Conn;
  #reading = false;

  /** Wraps `conn`; the socket owns it from now on (destroy closes it). */
  constructor(conn: Deno.Conn) {
    super({ allowHalfOpen: false });
    this.#conn = conn;
    const remote = conn.remoteAddr as Deno.NetAddr;
    this.remoteAddress = remote.hostname;
    this.remotePort = remote.port;
    this.remoteFamily = remote.hostname.includes(":") ? "IPv6" : "IPv4";
  }

  /** The connection's own address, as `Deno.serve`'s handler info gives it. */
  get remoteAddr(): Deno.NetAddr {
    return this.#conn.remoteAddr as Deno.NetAddr;
  }

  override _read(): void {
    if (!this.#reading) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#reading = true;
    try {
      for (;;) {
        const buffer = new Uint8Array(READ_BYTES);
        const n = await this.#conn.read(buffer);
        if (n === null) {
          this.push(null);
          return;
        }
        if (!this.push(buffer.subarray(0, n))) return;
      }
    } catch (error) {
      // Reset by the peer, or closed by destroy(): the socket ends either way.
      if (!this.destroyed) this.destroy(error as Error);
    } finally {
      this.#reading = false;
    }
  }

  override _write(
    chunk: Uint8Array,
    _encoding: string,
    callback: (error?: Error | null) => void,
  ): void {
    this.#writeAll(chunk).then(() => callback(), (error) => callback(error));
  }

  async #writeAll(chunk: Uint8Array): Promise<void> {
    let written = 0;
    while (written < chunk.length) written += await this.#conn.write(chunk.subarray(written));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#conn.closeWrite().then(() => callback(), () => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    try {
      this.#conn.close();
    } catch { /* closed already */ }
    callback(error);
  }

  /** `node:http` sets socket timeouts; the daemon's own timers replace them. */
  setTimeout(): this {
    return this;
  }

  /** Nagle's algorithm is already off on Deno's TCP connections. */
  setNoDelay(): this {
    return this;
  }

  /** Keep-alive probes are not needed: the idle timeout closes forgotten connections. */
  setKeepAlive(): this {
    return this;
  }
}
