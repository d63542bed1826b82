import assert from "node:assert/strict";
import { createError, isMycoError } from "../core/mod.ts";
import type { RunTask } from "../orchestrator/mod.ts";
import { sleep } from "../../testing/fake_server.ts";
import { type FakeMessage, startFakeLlm } from "../../testing/fake_llm.ts";
import { testClient } from "../../testing/model_client.ts";
import { research, type ResearchProgress } from "./research.ts";

const PLAN = JSON.stringify({ searches: ["spore dispersal", "hyphae growth", "mycelium network"] });
const ANSWER = "Fungi spread by spores [W1] and by hyphae [W2].";

/** Plans with PLAN, answers with ANSWER (and the system prompt it saw, for the asserts). */
function scripted(messages: FakeMessage[]): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  return system.startsWith("You plan web searches") ? PLAN : ANSWER;
}

/** A runTask over canned hits and pages that counts how many tasks of a type run at once. */
function fakeTasks(options: { failPages?: string[]; failSearches?: boolean } = {}) {
  const running = { web_search: 0, web_fetch: 0 };
  const most = { web_search: 0, web_fetch: 0 };
  const calls: { type: string; payload: Record<string, unknown> }[] = [];
  const runTask: RunTask = async (type, payload) => {
    calls.push({ type, payload });
    const kind = type as "web_search" | "web_fetch";
    running[kind]++;
    most[kind] = Math.max(most[kind], running[kind]);
    try {
      await sleep(15);
      if (type === "web_search") {
        if (options.failSearches) {
          throw createError("web_unavailable", "Web search failed with every provider:\n  x: down");
        }
        const q = String(payload.query).replace(/ /g, "-");
        return {
          query: payload.query,
          results: [
            { title: `${q} A`, url: `https://${q}.example/a`, snippet: `${q} snippet` },
            { title: "Shared", url: "https://shared.example/?utm_source=x", snippet: "shared" },
          ],
          count: 2,
          provider: "fake",
          cached: false,
        };
      }
      const url = String(payload.url);
      if (options.failPages?.some((p) => url.includes(p))) {
        throw createError("web_unavailable", `${url} answered HTTP 500`);
      }
      return {
        url,
        status: 200,
        title: "T",
        text: `Full text of ${url}`,
        length: 1,
        truncated: false,
      };
    } finally {
      running[kind]--;
    }
  };
  return { runTask, most, calls };
}

Deno.test("research() plans, fans out in parallel, dedupes, reads pages and cites [W1]..", async () => {
  await using llm = await startFakeLlm({ reply: scripted });
  const tasks = fakeTasks({ failPages: ["hyphae-growth"] });
  const steps: ResearchProgress[] = [];
  let streamed = "";
  const result = await research("  How do fungi\nspread? ", {
    client: testClient(llm.url),
    model: "llama3.2:3b",
    runTask: tasks.runTask,
  }, { onProgress: (s) => steps.push(s), onText: (t) => (streamed += t) });

  assert.deepEqual(result.queries, ["spore dispersal", "hyphae growth", "mycelium network"]);
  assert.equal(tasks.most.web_search, 3, "the three searches ran at the same time");
  assert.equal(tasks.most.web_fetch, 3, "the three pages were read at the same time");
  assert.deepEqual(result.sources.map((s) => [s.label, s.url, s.read]), [
    ["[W1]", "https://spore-dispersal.example/a", true],
    ["[W2]", "https://hyphae-growth.example/a", false], // its page failed: the snippet stays
    ["[W3]", "https://mycelium-network.example/a", true],
    ["[W4]", "https://shared.example/?utm_source=x", false], // once, though all three found it
  ]);
  assert.equal(result.answer, ANSWER);
  assert.equal(streamed, ANSWER);
  assert.deepEqual(steps.map((s) => s.type), ["planned", "searched", "read"]);
  assert.deepEqual(steps[2], {
    type: "read",
    tried: 3,
    read: 2,
    skipped: [{
      url: "https://hyphae-growth.example/a",
      reason: "https://hyphae-growth.example/a answered HTTP 500",
    }],
  });

  const [plan, answer] = llm.requests.filter((r) => r.path === "/api/chat")
    .map((r) => r.body as { options: { temperature: number }; messages: FakeMessage[] });
  assert.equal(plan?.options.temperature, 0.3);
  assert.equal(plan?.messages.at(-1)?.content, "How do fungi spread?");
  const system = answer?.messages.find((m) => m.role === "system")?.content ?? "";
  assert.match(system, /\[W1\] spore-dispersal A \(https:\/\/spore-dispersal\.example\/a\):/);
  assert.match(system, /Full text of https:\/\/spore-dispersal\.example\/a/);
  assert.match(system, /\[W2\] hyphae-growth A .*\n"""\nhyphae-growth snippet/);
});

Deno.test("research() searches the question alone when the planner fails", async () => {
  await using llm = await startFakeLlm({ reply: scripted, failStatus: 500, failCount: 1 });
  const tasks = fakeTasks();
  const steps: ResearchProgress[] = [];
  const result = await research("How do fungi spread?", {
    client: testClient(llm.url),
    model: "llama3.2:3b",
    runTask: tasks.runTask,
  }, { onProgress: (s) => steps.push(s), maxResults: 7 });
  assert.deepEqual(result.queries, ["How do fungi spread?"]);
  assert.match((steps[0] as { fallback: string }).fallback, /^the model could not plan: /);
  assert.deepEqual(tasks.calls[0], {
    type: "web_search",
    payload: { query: "How do fungi spread?", max_results: 7 },
  });
  assert.equal(result.answer, ANSWER);
});

Deno.test("research() fails with the search error when every search failed", async () => {
  await using llm = await startFakeLlm({ reply: scripted });
  const deps = { client: testClient(llm.url), model: "llama3.2:3b" };
  await assert.rejects(
    research("fungi", { ...deps, runTask: fakeTasks({ failSearches: true }).runTask }),
    (e) => isMycoError(e, "web_unavailable") && /every provider/.test(e.message),
  );
  await assert.rejects(
    research(" \n\t ", { ...deps, runTask: fakeTasks().runTask }),
    (e) => isMycoError(e, "invalid_input") && /question is empty/.test(e.message),
  );
});
