/**
 * Routed hops on loopback: what a task costs when it goes through one node (client → node
 * B → model server) or two (client → node A → node B → model server), against calling the
 * model server directly with the same model client the nodes use. B and A are real
 * daemons (`main.ts daemon`, separate processes); the test model server runs in this
 * process so its pace can change between phases. Targets: a hop adds ≤ 2 ms p50; streaming
 * through a hop keeps ≥ 95 % of direct throughput.
 */

import { openTaskStream, postTask } from "../../lib/orchestrator/mod.ts";
import { startFakeLlm } from "../../testing/fake_llm.ts";
import { testClient } from "../../testing/model_client.ts";
import { type DaemonProcess, startDaemon } from "../../tests/support/run_daemon.ts";
import { runMain, tempHome } from "../../tests/support/run_cli.ts";
import { percentile } from "./_stats.ts";

const MODEL = "gemma3:1b";

/** One answer: when its first and last text arrived, ms after the start, and how much. */
interface Timing {
  firstMs: number;
  totalMs: number;
  /** Characters received (a node may merge tokens that queue up into one event). */
  chars: number;
}

type Ask = (prompt: string) => Promise<Timing>;

/** Runs the routing benchmark. */
export async function benchSwarmRouting(runs = 200, streamWords = 4000): Promise<void> {
  await using llm = await startFakeLlm();
  await using homeA = await tempHome();
  await using homeB = await tempHome();
  const token = (await runMain(["token"], { env: { MYCOSWARM_HOME: homeB.home } })).stdout.trim();
  await runMain(["join", token], { env: { MYCOSWARM_HOME: homeA.home } });
  // B has the model server; A has none (a light box), so A relays every inference to B.
  await using b = await startDaemon({ MYCOSWARM_HOME: homeB.home, OLLAMA_HOST: llm.url });
  await using a = await startDaemon({
    MYCOSWARM_HOME: homeA.home,
    OLLAMA_HOST: "127.0.0.1:9",
    MYCOSWARM_TIER: "light",
    MYCOSWARM_PEERS: `127.0.0.1:${b.port}`,
  });
  await waitForPeer(a, token);

  const client = testClient(llm.url);
  const direct: Ask = async (prompt) => {
    const started = performance.now();
    let first = 0, chars = 0;
    await client.chat({
      model: MODEL,
      messages: [{ role: "user", content: prompt }],
      onText: (text) => (chars += text.length, first ||= performance.now() - started),
    });
    return { firstMs: first, totalMs: performance.now() - started, chars };
  };
  const [oneHop, twoHops] = [viaNode(b, token), viaNode(a, token)];

  console.log(`swarm routing: ${runs} short answers each way on loopback, interleaved`);
  const short = "hello there";
  for (const ask of [direct, oneHop, twoHops]) for (let i = 0; i < 20; i++) await ask(short);
  const times: Record<string, Timing[]> = { direct: [], "1 hop": [], "2 hops": [] };
  for (let i = 0; i < runs; i++) {
    times.direct!.push(await direct(short));
    times["1 hop"]!.push(await oneHop(short));
    times["2 hops"]!.push(await twoHops(short));
  }
  const p = (list: Timing[], q: number, pick: (t: Timing) => number) =>
    percentile(list.map(pick), q);
  const base = (q: number) => p(times.direct!, q, (t) => t.totalMs);
  for (const [name, list] of Object.entries(times)) {
    const added = name === "direct"
      ? ""
      : `  added p50 ${f(p(list, 50, (t) => t.totalMs) - base(50))} ms, p99 ${
        f(p(list, 99, (t) => t.totalMs) - base(99))
      } ms`;
    console.log(
      `  ${name.padEnd(7)} whole answer p50 ${f(p(list, 50, (t) => t.totalMs))} ms, p99 ${
        f(p(list, 99, (t) => t.totalMs))
      } ms; first token p50 ${f(p(list, 50, (t) => t.firstMs))} ms${added}`,
    );
  }
  const perHop = (p(times["2 hops"]!, 50, (t) => t.totalMs) - base(50)) / 2;
  console.log(`  → ${f(perHop)} ms per hop at p50 (target ≤ 2 ms)`);

  const prompt = Array.from({ length: streamWords }, (_, i) => `w${i}`).join(" ");
  const paces = [[1, "paced at 1 ms/token"], [0, "unpaced"]] as const;
  for (const [pace, label] of paces) {
    llm.options.tokenDelayMs = pace;
    const rate = async (ask: Ask) => {
      const rates: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = await ask(prompt);
        rates.push(t.chars / (t.totalMs / 1000));
      }
      return percentile(rates, 50);
    };
    const [d, h1, h2] = [await rate(direct), await rate(oneHop), await rate(twoHops)];
    const kb = (n: number) => `${(n / 1000).toFixed(0)} kB/s`;
    // ~6 characters per token of the test server (" w1234").
    console.log(
      `  stream ${label} (direct ~${(d / 6).toFixed(0)} tok/s): direct ${kb(d)}; ` +
        `1 hop ${kb(h1)} (${pct(h1 / d)}); 2 hops ${kb(h2)} (${pct(h2 / d)})`,
    );
  }
  console.log(
    "  (target ≥ 95 % through a hop. Unpaced, a node sends the tokens of one read of the\n" +
      "  model server as one event, so a hop costs a write per read, not per token; the\n" +
      "  ceiling is then the model client's own parsing, the same as direct.)",
  );
  llm.options.tokenDelayMs = 0;
}

/** Asks through a node's API: POST /task, then its SSE stream to the final event. */
function viaNode(node: DaemonProcess, token: string): Ask {
  const call = { fetch, token };
  return async (prompt) => {
    const started = performance.now();
    let first = 0, chars = 0;
    const body = { task_type: "inference" as const, payload: { model: MODEL, prompt } };
    const { task_id } = await postTask(node.url, body, call);
    for await (const event of await openTaskStream(node.url, task_id, call)) {
      if (event.token) (chars += event.token.length, first ||= performance.now() - started);
      if (event.done) {
        if (event.error) throw new Error(event.error);
        break;
      }
    }
    return { firstMs: first, totalMs: performance.now() - started, chars };
  };
}

async function waitForPeer(node: DaemonProcess, token: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const peers = await (await fetch(`${node.url}/peers`, { headers: { "x-swarm-token": token } }))
      .json() as { state: string }[];
    if (peers.some((p) => p.state === "alive")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("node A never saw node B");
}

function f(ms: number): string {
  return ms.toFixed(2);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

if (import.meta.main) await benchSwarmRouting();
