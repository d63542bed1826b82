/**
 * The node API's socket server: `Deno.serve`'s shape, with what `Deno.serve` lacks and a
 * daemon on a LAN needs — a header-read timeout, an idle timeout, a cap on open connections,
 * and an accept loop that outlives EMFILE. Without them a thousand half-sent requests exhaust
 * a 1,024-descriptor limit and `Deno.serve`'s accept loop ends the process.
 *
 * The daemon accepts its own connections with `Deno.listen` (refusing those past the cap
 * with an immediate close) and serves each with `Deno.serveHttp` — the same HTTP engine as
 * `Deno.serve` (hyper), so requests and streams cost what they cost there, but one
 * connection at a time, which lets the daemon see when a connection waits for a request.
 * Timers armed only then close the slow (no whole request head within the header timeout)
 * and the forgotten (no next request within the idle timeout); a request being answered (a
 * stream of minutes) has none. (`Deno.serveHttp` is Deno's older per-connection API, present
 * in 2.9.6; node:http's parser in JS was measured at about 1 ms more per request.)
 *
 * @module
 */

import type { Logger } from "../core/mod.ts";

/** Where to listen and the limits that keep the socket server alive. */
export interface GuardedServeOptions {
  /** Port; 0 picks a free one. */
  port: number;
  /** Address to listen on. */
  hostname: string;
  /** Called once listening. */
  onListen?: () => void;
  /** A new connection must send a whole request head within this. @default 10_000 */
  headerTimeoutMs?: number;
  /** A kept-alive connection with no request in flight is closed after this. @default 30_000 */
  idleTimeoutMs?: number;
  /** Connections open at once; past it, new ones are closed at accept. @default 512 */
  maxConnections?: number;
  /** Where refusals and accept errors are told, once per burst. */
  logger?: Logger;
}

/** What a handler learns of its connection, as from `Deno.serve`. */
export interface GuardedServeInfo {
  /** The caller's address (Hono's `getConnInfo` reads it). */
  remoteAddr: Deno.NetAddr;
}

/** A running guarded server. */
export interface GuardedServer {
  /** The address bound. */
  addr: Deno.NetAddr;
  /** Connections open now. */
  readonly connections: number;
  /**
   * Stops accepting, closes connections waiting for a request, lets open requests finish
   * (their connections close after them) and resolves when none is left.
   */
  shutdown(): Promise<void>;
}

/** How long a connection lingers after its last answer while the server stops. */
const CLOSING_LINGER_MS = 100;

/** Longest pause of the accept loop after an error (EMFILE: wait for descriptors). */
const MAX_ACCEPT_BACKOFF_MS = 1_000;

/** One request as `Deno.serveHttp` yields it. */
interface RequestEvent {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): Promise<void>;
}

/** A connection served by `Deno.serveHttp`. */
interface HttpConn extends AsyncIterable<RequestEvent> {
  nextRequest(): Promise<RequestEvent | null>;
  close(): void;
}

interface Tracked {
  http: HttpConn;
  timer: ReturnType<typeof setTimeout> | undefined;
  inFlight: number;
  closed: boolean;
}

/**
 * Serves `handler` on `hostname:port` with header and idle timeouts and a connection cap.
 *
 * @param options where to listen, and the limits
 * @param handler answers one request; gets the caller's address as `Deno.serve`'s does
 * @returns the server, listening
 * @throws Deno.errors.AddrInUse and the like, as `Deno.listen` does
 * @example
 * ```ts
 * const server = guardedServe({ port: 0, hostname: "127.0.0.1" }, () => new Response("ok"));
 * await server.shutdown();
 * ```
 */
export function guardedServe(
  options: GuardedServeOptions,
  handler: (request: Request, info: GuardedServeInfo) => Response | Promise<Response>,
): GuardedServer {
  const headerTimeoutMs = options.headerTimeoutMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const maxConnections = options.maxConnections ?? 512;
  const logger = options.logger;
  const listener = Deno.listen({ port: options.port, hostname: options.hostname });
  const open = new Set<Tracked>();
  let closing = false;
  let drained: PromiseWithResolvers<void> | null = null;

  const close = (tracked: Tracked) => {
    if (tracked.closed) return;
    tracked.closed = true;
    clearTimeout(tracked.timer);
    try {
      tracked.http.close();
    } catch { /* closed already */ }
  };
  const arm = (tracked: Tracked, ms: number) => {
    clearTimeout(tracked.timer);
    tracked.timer = setTimeout(() => close(tracked), ms);
  };

  /** Serves one connection: its requests one after another, timed while it waits. */
  const serve = async (conn: Deno.Conn) => {
    const remoteAddr = conn.remoteAddr as Deno.NetAddr;
    // deno-lint-ignore no-explicit-any
    const http = (Deno as any).serveHttp(conn) as HttpConn;
    const tracked: Tracked = { http, timer: undefined, inFlight: 0, closed: false };
    open.add(tracked);
    arm(tracked, headerTimeoutMs);
    try {
      for (;;) {
        let event: RequestEvent | null;
        try {
          event = await http.nextRequest();
        } catch {
          break; // a malformed head, a reset peer: the connection ends
        }
        if (event === null) break;
        clearTimeout(tracked.timer);
        tracked.inFlight++;
        const answered = respond(event, handler, remoteAddr, logger);
        // HTTP/1.1 answers one request at a time: the next is read once this one is sent.
        await answered;
        tracked.inFlight--;
        // Stopping: the connection closes once idle for a moment — long enough for the
        // answer's last bytes to leave (closing at once could cut them off).
        arm(tracked, closing ? CLOSING_LINGER_MS : idleTimeoutMs);
      }
    } finally {
      close(tracked);
      open.delete(tracked);
      if (open.size === 0) drained?.resolve();
    }
  };

  const accepting = (async () => {
    let backoffMs = 0;
    let refusing = false;
    let failing = false;
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (closing || error instanceof Deno.errors.BadResource) return;
        // EMFILE and kin: tell it once per burst, wait for descriptors, accept again.
        if (!failing) logger?.warn(`node API: accepting a connection failed: ${error}; retrying`);
        failing = true;
        backoffMs = Math.min(MAX_ACCEPT_BACKOFF_MS, Math.max(10, backoffMs * 2));
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        continue;
      }
      failing = false;
      backoffMs = 0;
      if (closing) {
        conn.close();
        return;
      }
      if (open.size >= maxConnections) {
        conn.close(); // refused at once: the connections already open keep being served
        if (!refusing) {
          logger?.warn(`node API: ${maxConnections} connections open (the cap); refusing new ones`);
        }
        refusing = true;
        continue;
      }
      refusing = false;
      try {
        (conn as Deno.TcpConn).setNoDelay?.(true); // a stream's small events go out at once
      } catch { /* not TCP */ }
      void serve(conn);
    }
  })();
  options.onListen?.();

  let stopped: Promise<void> | null = null;
  return {
    addr: listener.addr as Deno.NetAddr,
    get connections() {
      return open.size;
    },
    shutdown: () =>
      stopped ??= (async () => {
        closing = true;
        listener.close();
        await accepting;
        drained = Promise.withResolvers<void>();
        for (const tracked of open) if (tracked.inFlight === 0) arm(tracked, CLOSING_LINGER_MS);
        if (open.size > 0) await drained.promise;
      })(),
  };
}

/** Answers one request; a handler that throws is a 500, a caller that left ends it quietly. */
async function respond(
  event: RequestEvent,
  handler: (request: Request, info: GuardedServeInfo) => Response | Promise<Response>,
  remoteAddr: Deno.NetAddr,
  logger: Logger | undefined,
): Promise<void> {
  let response: Response;
  try {
    response = await handler(event.request, { remoteAddr });
  } catch (error) {
    logger?.error(`node API: ${event.request.method} ${event.request.url} failed: ${error}`);
    response = new Response("internal error\n", { status: 500 });
  }
  try {
    await event.respondWith(response);
  } catch (error) {
    // The caller went away mid-answer: stop producing the rest.
    await response.body?.cancel().catch(() => {});
    logger?.debug(`node API: ${event.request.method} ${event.request.url}: ${error}`);
  }
}
