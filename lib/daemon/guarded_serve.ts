/**
 * The node API's socket server: `Deno.serve`'s shape, with what `Deno.serve` lacks and a
 * daemon on a LAN needs — a header-read timeout, an idle timeout, a cap on open connections,
 * and an accept loop that outlives EMFILE. Without them a thousand half-sent requests exhaust
 * a 1,024-descriptor limit and `Deno.serve`'s accept loop ends the process.
 *
 * The daemon accepts its own connections with `Deno.listen` (refusing those past the cap
 * with an immediate close), wraps each in a Duplex and hands it to `node:http`'s parser,
 * which calls the web handler through a small Request/Response bridge. Its own timers, armed
 * while a connection waits for a request head, close the slow and the forgotten; a request
 * being answered (a stream of minutes) has none.
 *
 * @module
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { Logger } from "../core/mod.ts";
import { ConnSocket } from "./_conn_socket.ts";

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

/** Longest pause of the accept loop after an error (EMFILE: wait for descriptors). */
const MAX_ACCEPT_BACKOFF_MS = 1_000;

interface Tracked {
  socket: ConnSocket;
  timer: ReturnType<typeof setTimeout> | undefined;
  inFlight: number;
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
  const open = new Map<ConnSocket, Tracked>();
  let closing = false;
  let drained: PromiseWithResolvers<void> | null = null;

  const arm = (tracked: Tracked, ms: number) => {
    clearTimeout(tracked.timer);
    tracked.timer = setTimeout(() => tracked.socket.destroy(), ms);
  };

  // node:http's own timeouts only run for a server that listens itself: ours are the timers above.
  const http = createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 0 });
  // Deno's node:http closes a kept-alive socket after its response unless the server listens.
  Object.defineProperty(http, "listening", { get: () => !closing });
  http.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const tracked = open.get(req.socket as unknown as ConnSocket);
    if (tracked) {
      tracked.inFlight++;
      clearTimeout(tracked.timer);
      tracked.timer = undefined;
      res.once("close", () => {
        tracked.inFlight--;
        if (tracked.inFlight > 0 || tracked.socket.destroyed) return;
        if (closing) tracked.socket.end();
        else arm(tracked, idleTimeoutMs);
      });
    }
    if (closing) res.shouldKeepAlive = false;
    answer(req, res, handler, logger);
  });
  http.on("clientError", (_error: Error, socket: ConnSocket) => {
    // A malformed head: say so if the socket can still be written, and close it.
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  const track = (conn: Deno.Conn) => {
    const socket = new ConnSocket(conn);
    const tracked: Tracked = { socket, timer: undefined, inFlight: 0 };
    open.set(socket, tracked);
    socket.once("close", () => {
      clearTimeout(tracked.timer);
      open.delete(socket);
      if (open.size === 0) drained?.resolve();
    });
    socket.on("error", () => {}); // a reset peer ends its connection, nothing more
    arm(tracked, headerTimeoutMs);
    http.emit("connection", socket);
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
          logger?.warn(
            `node API: ${maxConnections} connections open (the cap); refusing new ones`,
          );
        }
        refusing = true;
        continue;
      }
      refusing = false;
      try {
        (conn as Deno.TcpConn).setNoDelay?.(true); // a stream's small events go out at once
      } catch { /* not TCP */ }
      track(conn);
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
        for (const tracked of open.values()) {
          if (tracked.inFlight === 0) tracked.socket.destroy();
        }
        if (open.size > 0) await drained.promise;
      })(),
  };
}

/** Turns `req` into a web Request, calls `handler`, and streams its Response into `res`. */
async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (request: Request, info: GuardedServeInfo) => Response | Promise<Response>,
  logger: Logger | undefined,
): Promise<void> {
  try {
    const aborted = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) aborted.abort(); // the caller went away mid-answer
    });
    const socket = req.socket as unknown as ConnSocket;
    let request: Request;
    try {
      request = toRequest(req, aborted.signal);
    } catch {
      res.writeHead(400, { connection: "close" }).end();
      return;
    }
    let response: Response;
    try {
      response = await handler(request, { remoteAddr: socket.remoteAddr });
    } catch (error) {
      logger?.error(`node API: ${req.method} ${req.url} failed: ${error}`);
      response = new Response("internal error\n", { status: 500 });
    }
    await writeResponse(response, req.method === "HEAD", res);
  } catch (error) {
    logger?.debug(`node API: ${req.method} ${req.url}: the answer broke off: ${error}`);
    res.destroy();
  }
}

function toRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const bodyless = req.method === "GET" || req.method === "HEAD";
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    body: bodyless ? null : Readable.toWeb(req) as ReadableStream<Uint8Array>,
    signal,
    // @ts-ignore: `duplex` is required by fetch's spec for a streamed body, absent from lib.dom
    duplex: "half",
  });
}

async function writeResponse(response: Response, head: boolean, res: ServerResponse) {
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (response.statusText) res.writeHead(response.status, response.statusText);
  else res.writeHead(response.status);
  if (response.body === null || head) {
    await response.body?.cancel();
    res.end();
    return;
  }
  const reader = response.body.getReader();
  let done = false;
  try {
    while (!res.destroyed) {
      const chunk = await reader.read();
      if (chunk.done) {
        done = true;
        break;
      }
      if (!res.write(chunk.value)) await drain(res);
    }
    if (done) res.end();
  } finally {
    if (!done) await reader.cancel().catch(() => {}); // the caller left: stop producing
  }
}

/** Resolves when `res` can take more, or has closed. */
function drain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
