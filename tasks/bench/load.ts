/**
 * A daemon under a flood: 200 concurrent chat requests (`/v1/chat/completions`, the
 * `mycoswarm` model and a model of the swarm by name, half each) against one daemon whose
 * test model server writes 20 ms a token, while `/health` is asked every 50 ms. Prints what
 * completed and what was refused (by status), latency p50/p99, the daemon's resident memory
 * before, at its peak and after, and `/health` latency throughout. Targets: no status but 200
 * and 503; RSS growth ≤ 100 MB; `/health` p99 ≤ 250 ms.
 */

import { startFakeLlm } from "../../testing/fake_llm.ts";
import { startDaemon } from "../../tests/support/run_daemon.ts";
import { tempHome } from "../../tests/support/run_cli.ts";
import { percentile } from "./_stats.ts";

/** The resident memory of process `pid`, MB (`ps`: reading /proc of another process needs -A). */
function rssMb(pid: number): number {
  const out = new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).outputSync();
  return Number(new TextDecoder().decode(out.stdout).trim() || 0) / 1024;
}

/** Runs the load benchmark. */
export async function benchLoad(requests = 200, tokenMs = 20): Promise<void> {
  await using llm = await startFakeLlm({ tokenDelayMs: tokenMs });
  await using home = await tempHome();
  await using daemon = await startDaemon({ MYCOSWARM_HOME: home.home, OLLAMA_HOST: llm.url });
  const token = (await Deno.readTextFile(`${home.home}/swarm-token`)).trim();
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const ask = (i: number) =>
    fetch(`${daemon.url}/v1/chat/completions`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        model: i % 2 === 0 ? "mycoswarm" : "llama3.2:3b",
        messages: [{ role: "user", content: `request ${i}: tell me about the garden lights` }],
      }),
    });
  await (await ask(0)).text(); // opens memory's indexes
  const before = rssMb(daemon.pid);
  let peak = before;
  const health: number[] = [];
  let flooding = true;
  const watch = (async () => {
    while (flooding) {
      const started = performance.now();
      await (await fetch(`${daemon.url}/health`)).body?.cancel();
      health.push(performance.now() - started);
      peak = Math.max(peak, rssMb(daemon.pid));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const statuses = new Map<number | string, number>();
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: requests }, async (_, i) => {
    const t0 = performance.now();
    try {
      const response = await ask(i);
      await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.ok) latencies.push(performance.now() - t0);
    } catch (error) {
      const key = `error ${(error as Error).name}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  flooding = false;
  await watch;
  await new Promise((r) => setTimeout(r, 1000));
  const after = rssMb(daemon.pid);
  const f = (n: number) => n.toFixed(1);
  console.log(`load: ${requests} concurrent chat requests, test model at ${tokenMs} ms a token`);
  console.log(
    `  statuses: ${[...statuses].map(([s, n]) => `${s} × ${n}`).join(", ")} in ${f(seconds)} s` +
      ` (target: only 200 and 503)`,
  );
  console.log(
    `  completed latency p50 ${f(percentile(latencies, 50))} ms, p99 ${
      f(percentile(latencies, 99))
    } ms`,
  );
  console.log(
    `  daemon RSS before ${f(before)} MB, peak ${f(peak)} MB, after ${f(after)} MB ` +
      `(growth ${f(after - before)} MB; target ≤ 100 MB)`,
  );
  console.log(
    `  /health during the flood: p50 ${f(percentile(health, 50))} ms, p99 ${
      f(percentile(health, 99))
    } ms over ${health.length} checks (target p99 ≤ 250 ms)`,
  );
}
