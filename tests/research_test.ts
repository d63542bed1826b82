/**
 * `mycoswarm research` against the test model server and a fake SearXNG on loopback, run
 * in process through the command (it joins the CLI's command list when registered).
 */

import assert from "node:assert/strict";
import { isMycoError, systemClock, systemTimers } from "../lib/core/mod.ts";
import { type CliContext, COMMANDS } from "../lib/cli/mod.ts";
import { type FakeMessage, startFakeLlm } from "../testing/fake_llm.ts";
import { startFakeWeb } from "../testing/fake_web.ts";
import { getNodeJson } from "../lib/orchestrator/mod.ts";
import { runMain, tempHome } from "./support/run_cli.ts";
import { type DaemonProcess, startDaemon } from "./support/run_daemon.ts";

const PLAN = '```json\n{"searches": ["spore dispersal", "hyphae growth", "mycelium network"]}\n```';
const ANSWER = "Fungi spread by spores [W1] and hyphae [W2].";

function scripted(plan: string) {
  return (messages: FakeMessage[]) => {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    return system.startsWith("You plan web searches") ? plan : ANSWER;
  };
}

/** Runs the command the way runCli does: MycoErrors become a message and an exit code. */
async function research(argv: string[], env: Record<string, string>) {
  let stdout = "", stderr = "";
  const ctx: CliContext = {
    env,
    fetch,
    clock: systemClock,
    timers: systemTimers,
    runCommand: () => Promise.resolve(null),
    readTextFile: () => Promise.resolve(null),
    logger: {
      debug() {},
      info: (m) => void (stderr += `${m}\n`),
      warn: (m) => void (stderr += `warning: ${m}\n`),
      error: (m) => void (stderr += `error: ${m}\n`),
    },
    newId: () => crypto.randomUUID(),
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    stdin: new ReadableStream({ start: (c) => c.close() }),
    isTerminal: { stdin: false, stdout: false, stderr: false },
    system: { hostname: "test", os: "linux", arch: "x86_64", cpuCount: 4 },
    onInterrupt: () => () => {},
  };
  let code: number;
  try {
    const research = await COMMANDS.find((c) => c.name === "research")!.load();
    code = await research.run(argv, ctx);
  } catch (error) {
    if (!isMycoError(error)) throw error;
    stderr += `mycoswarm: ${error.message}\n`;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

async function setup(plan = PLAN, web: Parameters<typeof startFakeWeb>[0] = {}) {
  const llm = await startFakeLlm({ reply: scripted(plan) });
  const site = startFakeWeb({ searchDelayMs: 30, ...web });
  const dir = await tempHome();
  const env = {
    MYCOSWARM_HOME: dir.home,
    OLLAMA_HOST: llm.url,
    MYCOSWARM_SEARXNG_URL: site.searxngUrl,
    MYCOSWARM_WEB_PROVIDERS: "searxng",
    MYCOSWARM_WEB_ALLOW_PRIVATE: "1",
    // No daemon answers on the discard port: the searches run in this process.
    MYCOSWARM_PORT: "9",
  };
  return {
    llm,
    site,
    env,
    async [Symbol.asyncDispose]() {
      await llm.close();
      await site[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}

Deno.test("research streams a cited answer, then the sources; progress on stderr", async () => {
  await using t = await setup(PLAN, { searchesTogether: 3, searchDelayMs: 5_000 });
  const run = await research(["How do fungi", "spread?"], t.env);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(t.site.maxConcurrentSearches, 3, "the three searches were in flight together");
  const lines = run.stdout.split("\n");
  assert.equal(lines[0], ANSWER);
  assert.equal(lines[2], "Sources:");
  const sources = lines.slice(3).filter(Boolean);
  assert.equal(sources.length, 7, "3 queries × 2 own pages + the shared page once");
  assert.match(
    sources[0]!,
    /^ {2}\[W1\] spore dispersal guide — http:\/\/127\.0\.0\.1:\d+\/pages\//,
  );
  assert.equal(sources.filter((s) => s.includes("/pages/shared")).length, 1);
  assert.match(
    run.stderr,
    /^Planned 3 searches: "spore dispersal", "hyphae growth", "mycelium network"\n/,
  );
  assert.match(run.stderr, /Searched 3 queries in parallel: 7 unique results\n/);
  assert.match(run.stderr, /Read 3 of 3 pages\n$/);
  assert.equal(t.site.pagesRead.length, 3);
});

Deno.test("research --json prints {question, queries, sources, answer}", async () => {
  await using t = await setup();
  const run = await research(["--json", "-n", "1", "How do fungi spread?"], t.env);
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.deepEqual(Object.keys(out), ["question", "queries", "sources", "answer"]);
  assert.equal(out.question, "How do fungi spread?");
  assert.equal(out.answer, ANSWER);
  assert.equal(out.sources.length, 3, "-n 1: one result per search");
  assert.deepEqual(out.sources[0], {
    label: "[W1]",
    title: "spore dispersal guide",
    url: `${t.site.url}/pages/spore-dispersal-guide`,
    read: true,
  });
});

Deno.test("research skips a page that fails and falls back when the plan is not JSON", async () => {
  await using t = await setup("Let me think about searches.", {
    hits: (query, base) => [
      { title: "Broken", url: `${base}/pages/broken-1`, content: "Broken snippet." },
      { title: "Good", url: `${base}/pages/good`, content: `About ${query}.` },
    ],
  });
  const run = await research(["Why", "are", "mushrooms", "round?"], t.env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /^Searching the question itself \(the plan was not JSON\)\n/);
  assert.deepEqual(t.site.searches, ["Why are mushrooms round?"]);
  assert.match(run.stderr, /Read 1 of 2 pages \(skipped http:\/\/.*\/pages\/broken-1: .*500/);
  assert.match(run.stdout, /\[W1\] Broken — http:\/\/.*\/pages\/broken-1 \(snippet\)\n/);
  assert.match(run.stdout, /\[W2\] Good — http:\/\/.*\/pages\/good\n/);
  const answer = t.llm.requests.filter((r) => r.path === "/api/chat").at(-1);
  const system = (answer?.body as { messages: FakeMessage[] }).messages[0]?.content ?? "";
  assert.match(system, /\[W1\] Broken .*\n"""\nBroken snippet\.\n"""/);
  assert.match(system, /\[W2\] Good .*\n"""\nPage good\n\nThis page, good, explains spores/);
});

Deno.test("research refuses a question of only whitespace and a bad -n (exit 2)", async () => {
  await using t = await setup();
  const blank = await research([" ", "\t\n"], t.env);
  assert.equal(blank.code, 2);
  assert.match(blank.stderr, /research: give a question/);
  const none = await research([], t.env);
  assert.equal(none.code, 2);
  const bad = await research(["-n", "21", "fungi"], t.env);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /research: -n must be a whole number from 1 to 20, not '21'/);
  assert.equal(t.llm.requests.length, 0);
});

Deno.test("research with every provider down says so and exits 4", async () => {
  await using t = await setup(PLAN, { searchStatus: 503 });
  const run = await research(["How do fungi spread?"], t.env);
  assert.equal(run.code, 4);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /mycoswarm: Web search failed with every provider:\n\s+searxng: .*503/);
});

Deno.test("research sends its searches through the local daemon when one runs", async () => {
  await using t = await setup(PLAN, { searchesTogether: 2, searchDelayMs: 1_000 });
  await using daemon = await startDaemon(t.env); // --port 0: a free port
  // The research process itself cannot reach the search provider: only the daemon can.
  const run = await research(["How do fungi spread?"], {
    ...t.env,
    MYCOSWARM_PORT: String(daemon.port),
    MYCOSWARM_SEARXNG_URL: "http://127.0.0.1:9",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.split("\n")[0], ANSWER);
  // One node alone runs two tasks at a time (its queue's concurrency).
  assert.equal(t.site.maxConcurrentSearches, 2);
});

Deno.test("research through a GPU node's daemon fans its searches out over three light nodes", async () => {
  await using t = await setup(PLAN, { searchesTogether: 3, searchDelayMs: 5_000 });
  await using entryHome = await tempHome();
  const token = (await runMain(["token"], { env: { MYCOSWARM_HOME: entryHome.home } })).stdout
    .trim();
  const lightHomes = await Promise.all([1, 2, 3].map(() => tempHome()));
  const daemons: DaemonProcess[] = [];
  try {
    for (const home of lightHomes) {
      await runMain(["join", token], { env: { MYCOSWARM_HOME: home.home } });
      daemons.push(
        await startDaemon({ ...t.env, MYCOSWARM_HOME: home.home, MYCOSWARM_TIER: "light" }),
      );
    }
    const entry = await startDaemon({
      ...t.env,
      MYCOSWARM_HOME: entryHome.home,
      MYCOSWARM_TIER: "executive",
      MYCOSWARM_SEARXNG_URL: "http://127.0.0.1:9", // the GPU node itself could not search
      MYCOSWARM_PEERS: daemons.map((d) => `127.0.0.1:${d.port}`).join(","),
    });
    daemons.push(entry);
    const call = { fetch, token };
    const alive = async () =>
      (await getNodeJson<{ state: string }[]>(entry.url, "/peers", call))
        .filter((p) => p.state === "alive").length;
    for (let i = 0; i < 150 && await alive() < 3; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await alive(), 3, "the entry node sees the three light nodes");

    const run = await research(["How do fungi spread?"], {
      ...t.env,
      MYCOSWARM_HOME: entryHome.home,
      MYCOSWARM_PORT: String(entry.port),
      MYCOSWARM_SEARXNG_URL: "http://127.0.0.1:9",
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split("\n")[0], ANSWER);
    assert.equal(t.site.maxConcurrentSearches, 3, "the three searches ran at once");
    const done = await Promise.all(
      daemons.slice(0, 3).map(async (d) =>
        (await getNodeJson<{ load: { tasks: { completed: number } } }>(d.url, "/status", call))
          .load.tasks.completed
      ),
    );
    assert.ok(done.every((n) => n >= 1), `tasks completed per light node: ${done}`);
    assert.equal(
      done.reduce((a, b) => a + b),
      6,
      "3 searches and 3 page reads, all on light nodes",
    );
  } finally {
    await Promise.all(daemons.map((d) => d.stop("SIGTERM")));
    for (const home of lightHomes) await home[Symbol.asyncDispose]();
  }
});
