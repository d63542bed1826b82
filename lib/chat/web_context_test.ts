import assert from "node:assert/strict";
import { createError, type Logger, systemClock } from "../core/mod.ts";
import type { Intent } from "../intent/mod.ts";
import { localRunTask, type RunTask, webHandlers } from "../orchestrator/mod.ts";
import { searxngProvider } from "../web/mod.ts";
import { startFakeWeb } from "../../testing/fake_web.ts";
import { testClient } from "../../testing/model_client.ts";
import { prepareTurn, TurnContext } from "./pipeline.ts";
import { searchQueryFor, WebLookup } from "./web_context.ts";

const WEB: Intent = { tool: "web_search", mode: "explore", scope: "all" };
const BOTH: Intent = { tool: "web_and_rag", mode: "explore", scope: "all" };
const ANSWER: Intent = { tool: "answer", mode: "chat", scope: "all" };

function recordingLogger(warnings: string[]): Logger {
  return { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
}

function turnsWith(web: WebLookup): TurnContext {
  return new TurnContext({
    store: null,
    client: testClient("http://127.0.0.1:9"), // never asked: the intent is given
    embedder: null,
    clock: systemClock,
    indexDir: "/nonexistent",
    logger: recordingLogger([]),
    web,
  });
}

Deno.test("prepareTurn() puts web results in the prompt as [W1].. for a web_search intent", async () => {
  await using site = startFakeWeb();
  const runTask = localRunTask(webHandlers({
    fetch,
    web: { providers: [searxngProvider({ url: site.searxngUrl })] },
  }));
  const turns = turnsWith(new WebLookup({ runTask, logger: recordingLogger([]) }));
  const turn = await prepareTurn("latest  spore\nresearch", turns, { intent: WEB });
  assert.deepEqual(site.searches, ["latest spore research"]);
  assert.match(
    turn.prompt.system,
    /Web results:\n\[W1\] latest spore research guide \(http:\/\/127\.0\.0\.1:\d+\/pages\/latest-spore-research-guide\):\n"""\nAll about latest spore research\.\n"""/,
  );
  assert.match(turn.prompt.system, /You have web results below/);
  assert.doesNotMatch(turn.prompt.system, /say you do not have it/);
  assert.deepEqual(turn.prompt.sources.map((s) => s.label), ["[W1]", "[W2]", "[W3]"]);
  assert.deepEqual(turns.retrieved, [
    "All about latest spore research.",
    "Notes on latest spore research.",
    "Shared.",
  ]);

  const plain = await prepareTurn("hello there", turns, { intent: ANSWER });
  assert.equal(site.searches.length, 1, "no search when the intent does not need the web");
  assert.doesNotMatch(plain.prompt.system, /Web results/);
  assert.match(plain.prompt.system, /say you do not have it/);
});

Deno.test("WebLookup says once per chat that the web is unavailable, then goes on", async () => {
  const warnings: string[] = [];
  let calls = 0;
  const runTask: RunTask = () => {
    calls++;
    return Promise.reject(
      createError("web_unavailable", "Web search failed with every provider:\n  duckduckgo: down"),
    );
  };
  const turns = turnsWith(new WebLookup({ runTask, logger: recordingLogger(warnings) }));
  const first = await prepareTurn("news about fungi", turns, { intent: WEB });
  const second = await prepareTurn("more fungi news", turns, { intent: BOTH });
  assert.equal(calls, 2, "each web turn tries again");
  assert.deepEqual(warnings, [
    "the web is unavailable, answering without it: " +
    "Web search failed with every provider: duckduckgo: down",
  ]);
  assert.deepEqual([first.prompt.sources, second.prompt.sources], [[], []]);
});

Deno.test("WebLookup passes the query, 5 results and web task settings; ignores bad hits", async () => {
  const seen: unknown[] = [];
  const runTask: RunTask = (type, payload, options) => {
    seen.push([type, payload, options?.priority, options?.timeoutSeconds]);
    return Promise.resolve({ results: [{ title: "A", url: "ftp://x", snippet: "" }, "junk"] });
  };
  const lookup = new WebLookup({ runTask, logger: recordingLogger([]) });
  assert.deepEqual(await lookup.lookup("  what's new? ", BOTH), []);
  assert.deepEqual(seen, [["web_search", { query: "what's new?", max_results: 5 }, 7, 60]]);
  assert.deepEqual(await lookup.lookup("   ", WEB), []);
  assert.equal(seen.length, 1);
});

Deno.test("searchQueryFor() cuts a long message at a word", () => {
  const long = "spores ".repeat(100);
  const query = searchQueryFor(long);
  assert.ok(query.length <= 300 && query.endsWith("spores"));
  assert.equal(searchQueryFor("a\n\nb"), "a b");
});
