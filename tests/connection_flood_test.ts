/**
 * Hardening: 1,100 idle and half-sent connections against a daemon under a 1,024-descriptor
 * limit. Before the node API capped its connections and timed out idle ones, `Deno.serve`'s
 * accept loop hit EMFILE and the rejection ended the daemon.
 */

import assert from "node:assert/strict";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { tempHome } from "./support/run_cli.ts";
import { startDaemon } from "./support/run_daemon.ts";

const FLOOD = 1_100;
/** The default header timeout (10 s) frees the flood's slots; a margin for a loaded machine. */
const HEALTH_WITHIN_MS = 20_000;

const hasPrlimit = await new Deno.Command("prlimit", { args: ["--version"], stdout: "null" })
  .output().then((o) => o.success, () => false);

Deno.test({
  name: "daemon under a 1,024-fd limit lives through 1,100 idle connections and answers /health",
  ignore: !hasPrlimit,
  async fn() {
    await using llm = await startFakeLlm();
    await using dir = await tempHome();
    await using daemon = await startDaemon(
      { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: llm.url },
      ["--port", "0", "--bind", "127.0.0.1"],
      { prefix: ["prlimit", "--nofile=1024"] },
    );
    const half = new TextEncoder().encode("GET /health HTTP/1.1\r\nHost: x\r\n");
    const conns: Deno.Conn[] = [];
    try {
      for (let i = 0; i < FLOOD; i++) {
        let conn: Deno.Conn;
        try {
          conn = await Deno.connect({ hostname: "127.0.0.1", port: daemon.port });
        } catch {
          continue; // the listen backlog is full: refused, as a flood should be
        }
        conns.push(conn);
        if (i % 2 === 1) await conn.write(half).catch(() => 0); // half-sent heads
      }
      const started = performance.now();
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
        if (performance.now() - started > HEALTH_WITHIN_MS) break;
        try {
          const response = await fetch(`${daemon.url}/health`, {
            signal: AbortSignal.timeout(1_000),
          });
          status = response.status;
          await response.body?.cancel();
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
      assert.equal(status, 200, `no /health within ${HEALTH_WITHIN_MS} ms`);
    } finally {
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed by the daemon */ }
      }
    }
    const stopped = await daemon.stop("SIGTERM");
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.doesNotMatch(stopped.stderr, /Too many open files|Uncaught/);
  },
});
