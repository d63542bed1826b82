import assert from "node:assert/strict";
import { guardedServe } from "./guarded_serve.ts";

/** Reads `conn` until the server closes it (or `limitMs`); returns the time taken and bytes. */
async function untilClosed(conn: Deno.Conn, limitMs: number) {
  const started = performance.now();
  const timer = setTimeout(() => conn.close(), limitMs);
  let text = "";
  try {
    const buffer = new Uint8Array(4096);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
    conn.close();
  } catch { /* closed by the timer */ }
  clearTimeout(timer);
  return { ms: performance.now() - started, text };
}

const serve = (max = 512) =>
  guardedServe(
    {
      port: 0,
      hostname: "127.0.0.1",
      headerTimeoutMs: 300,
      idleTimeoutMs: 400,
      maxConnections: max,
    },
    (request, info) => {
      if (new URL(request.url).pathname === "/slow") {
        let i = 0;
        return new Response(
          new ReadableStream({
            async pull(c) {
              await new Promise((r) => setTimeout(r, 250));
              c.enqueue(new TextEncoder().encode(`${i}\n`));
              if (++i === 4) c.close();
            },
          }),
        );
      }
      return new Response(`hi ${info.remoteAddr.hostname}`);
    },
  );

Deno.test("guardedServe() closes silent and half-sent connections after the header timeout", async () => {
  const server = serve();
  const silent = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  const half = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await half.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n"));
  const [a, b] = await Promise.all([untilClosed(silent, 3000), untilClosed(half, 3000)]);
  assert.ok(a.ms >= 250 && a.ms < 2000, `silent closed after ${a.ms} ms`);
  assert.ok(b.ms >= 250 && b.ms < 2000, `half-sent closed after ${b.ms} ms`);
  await server.shutdown();
});

Deno.test("guardedServe() keeps a connection open while it answers, closes it when idle", async () => {
  const server = serve();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await conn.write(new TextEncoder().encode("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  const { ms, text } = await untilClosed(conn, 5000);
  // 4 × 250 ms of streaming (longer than both timeouts), then 400 ms idle.
  assert.match(text, /0\n[\s\S]*3\n/);
  assert.ok(ms >= 1300 && ms < 4000, `closed after ${ms} ms`);
  await server.shutdown();
});

Deno.test("guardedServe() refuses connections past the cap and serves the others", async () => {
  const server = serve(2);
  const held = [
    await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port }),
    await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port }),
  ];
  await new Promise((r) => setTimeout(r, 50));
  const refused = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  const { ms } = await untilClosed(refused, 3000);
  assert.ok(ms < 200, `refused after ${ms} ms`);
  held[0]!.close();
  await new Promise((r) => setTimeout(r, 50));
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  assert.equal(await response.text(), "hi 127.0.0.1");
  held[1]!.close();
  await server.shutdown();
});
