/**
 * The drop-in API, in one run against the test model server: what the pass-through path
 * adds over calling the model server directly (first token and whole answer, p50 and p99;
 * a daemon on loopback, a separate process), streaming throughput through it, and what the
 * `mycoswarm` path adds to the first token when the gate model takes 150 ms and the query's
 * embedding 40 ms at the test server. Targets: pass-through adds ≤ 2 ms p50 and keeps ≥ 98 %
 * of direct streaming throughput; the pipeline adds ≤ 200 ms to the first token (the gate and
 * the embedding overlap).
 */

import { startFakeLlm } from "../../testing/fake_llm.ts";
import { startDaemon } from "../../tests/support/run_daemon.ts";
import { tempHome } from "../../tests/support/run_cli.ts";
import { percentile } from "./_stats.ts";

const MODEL = "llama3.2:3b";

interface Timing {
  firstMs: number;
  totalMs: number;
  chars: number;
}

/** POSTs an Ollama `/api/chat` stream and times its first content and its end. */
async function ask(url: string, body: unknown, token?: string): Promise<Timing> {
  const started = performance.now();
  const response = await fetch(`${url}/api/chat`, {
    method: "POST",
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
  let first = 0, chars = 0, rest = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body!) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split("\n");
    rest = lines.pop()!;
    for (const line of lines) {
      if (line === "") continue;
      const content = (JSON.parse(line).message?.content ?? "") as string;
      if (content !== "") (chars += content.length, first ||= performance.now() - started);
    }
  }
  return { firstMs: first, totalMs: performance.now() - started, chars };
}

/** Runs the API benchmark. */
export async function benchApi(runs = 200, streamWords = 4000): Promise<void> {
  await using llm = await startFakeLlm();
  await using home = await tempHome();
  await using daemon = await startDaemon({ MYCOSWARM_HOME: home.home, OLLAMA_HOST: llm.url });
  const token = (await Deno.readTextFile(`${home.home}/swarm-token`)).trim();
  const short = { model: MODEL, messages: [{ role: "user", content: "hello there" }] };
  const direct = (body: unknown) => ask(llm.url, body);
  const through = (body: unknown) => ask(daemon.url, body, token);

  console.log(`api: ${runs} short answers each way, interleaved (daemon on loopback)`);
  for (let i = 0; i < 20; i++) await direct(short), await through(short);
  const times: Record<string, Timing[]> = { direct: [], "pass-through": [] };
  for (let i = 0; i < runs; i++) {
    times.direct!.push(await direct(short));
    times["pass-through"]!.push(await through(short));
  }
  const p = (list: Timing[], q: number, pick: (t: Timing) => number) =>
    percentile(list.map(pick), q);
  for (const [name, list] of Object.entries(times)) {
    console.log(
      `  ${name.padEnd(12)} first token p50 ${f(p(list, 50, (t) => t.firstMs))} ms, p99 ${
        f(p(list, 99, (t) => t.firstMs))
      } ms; whole answer p50 ${f(p(list, 50, (t) => t.totalMs))} ms, p99 ${
        f(p(list, 99, (t) => t.totalMs))
      } ms`,
    );
  }
  const added = (q: number, pick: (t: Timing) => number) =>
    p(times["pass-through"]!, q, pick) - p(times.direct!, q, pick);
  console.log(
    `  → pass-through adds ${f(added(50, (t) => t.firstMs))} ms to the first token and ` +
      `${f(added(50, (t) => t.totalMs))} ms to the whole answer at p50 ` +
      `(p99 ${f(added(99, (t) => t.totalMs))} ms; target ≤ 2 ms p50)`,
  );

  const long = {
    model: MODEL,
    messages: [{
      role: "user",
      content: Array.from({ length: streamWords }, (_, i) => `w${i}`).join(" "),
    }],
  };
  // Interleaved pairs, so a busy moment of the machine weighs on both sides alike.
  const rates = { direct: [] as number[], through: [] as number[], ratio: [] as number[] };
  for (let i = 0; i < 15; i++) {
    const d = await direct(long), t = await through(long);
    const [dr, tr] = [d.chars / (d.totalMs / 1000), t.chars / (t.totalMs / 1000)];
    rates.direct.push(dr), rates.through.push(tr), rates.ratio.push(tr / dr);
  }
  const kb = (n: number) => `${(n / 1000).toFixed(0)} kB/s`;
  console.log(
    `  streaming, unpaced (15 interleaved pairs): direct ${kb(percentile(rates.direct, 50))}, ` +
      `through ${kb(percentile(rates.through, 50))}; median pair ratio ${
        (100 * percentile(rates.ratio, 50)).toFixed(1)
      } % (target ≥ 98 %)`,
  );

  // The pipeline: the gate model 150 ms, the query's embedding 40 ms, at the test server.
  llm.options.modelDelayMs = { "gemma3:1b": 150 };
  llm.options.embedDelayMs = 40;
  const question = "what did we decide about the garden lights last week";
  const mycoswarm = { model: "mycoswarm", messages: [{ role: "user", content: question }] };
  const plain = { model: MODEL, messages: [{ role: "user", content: question }] };
  await through(mycoswarm); // opens memory's indexes
  const pipeline: Timing[] = [], passed: Timing[] = [];
  for (let i = 0; i < 20; i++) {
    pipeline.push(await through(mycoswarm));
    passed.push(await through(plain));
  }
  const extra = percentile(pipeline.map((x) => x.firstMs), 50) -
    percentile(passed.map((x) => x.firstMs), 50);
  console.log(
    `  mycoswarm path (gate 150 ms, embedding 40 ms): first token p50 ${
      f(percentile(pipeline.map((x) => x.firstMs), 50))
    } ms, +${f(extra)} ms over pass-through (target ≤ 200 ms: the gate and the embedding overlap)`,
  );
  delete llm.options.modelDelayMs;
  llm.options.embedDelayMs = 0;
}

function f(n: number): string {
  return n.toFixed(2);
}
