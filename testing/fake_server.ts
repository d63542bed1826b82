/**
 * A local HTTP server on loopback standing in for a provider or a site, and the slow bodies
 * tests serve from it.
 *
 * @module
 */

/** What a fake server's handler gets besides the request. */
export interface FakeContext {
  /** Fires when the server closes: slow handlers stop waiting. */
  closed: AbortSignal;
}

/** A running fake server; `await using` closes it. */
export interface FakeServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Each request seen: method, path with query, headers, body text. */
  requests: { method: string; path: string; headers: Headers; body: string }[];
}

/**
 * Starts a server on 127.0.0.1 with a free port; `hostname` "0.0.0.0" also answers on every
 * other loopback address (127.0.1.1, which /etc/hosts often gives this machine's name).
 */
export function fakeServer(
  handler: (request: Request, context: FakeContext) => Response | Promise<Response>,
  options: { hostname?: string } = {},
): FakeServer {
  const closing = new AbortController();
  const requests: FakeServer["requests"] = [];
  const server = Deno.serve(
    { hostname: options.hostname ?? "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const url = new URL(request.url);
      const body = await request.text();
      requests.push({
        method: request.method,
        path: url.pathname + url.search,
        headers: request.headers,
        body,
      });
      return handler(request, { closed: closing.signal });
    },
  );
  const port = server.addr.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async [Symbol.asyncDispose]() {
      closing.abort();
      await server.shutdown();
    },
  };
}

/** Waits `ms`, or less when `signal` fires; never leaves a timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A body that sends `chunk` every `everyMs` until the client or the server stops it. */
export function endlessBody(chunk: Uint8Array, everyMs: number, closed: AbortSignal) {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await sleep(everyMs, closed);
      if (closed.aborted) controller.close();
      else controller.enqueue(chunk);
    },
  });
}
