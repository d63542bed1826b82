import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { isMycoError } from "../core/mod.ts";
import { searxngProvider, WebCache } from "../web/mod.ts";
import { hasCode } from "../../testing/has_code.ts";
import { startFakeWeb } from "../../testing/fake_web.ts";
import { localRunTask } from "./run_task.ts";
import { type WebHandlerOptions, webHandlers } from "./web_handlers.ts";
import { webHandlerOptions } from "./web_options.ts";

function runnerFor(url: string, extra: Partial<WebHandlerOptions> = {}) {
  const web = { providers: [searxngProvider({ url })], page: { allowPrivate: true }, ...extra };
  return localRunTask(webHandlers({ fetch, web }));
}

Deno.test("web_search returns {query, results, count, provider, cached}, cached the 2nd time", async () => {
  await using site = startFakeWeb();
  const dir = await Deno.makeTempDir();
  try {
    const runTask = runnerFor(site.searxngUrl, { cache: new WebCache({ dir }) });
    const first = await runTask("web_search", { query: "  spore   prints ", max_results: 2 });
    assert.deepEqual(first, {
      query: "spore prints",
      results: [
        {
          title: "spore prints guide",
          url: `${site.url}/pages/spore-prints-guide`,
          snippet: "All about spore prints.",
        },
        {
          title: "spore prints notes",
          url: `${site.url}/pages/spore-prints-notes`,
          snippet: "Notes on spore prints.",
        },
      ],
      count: 2,
      provider: "searxng",
      cached: false,
    });
    const again = await runTask("web_search", { query: "spore prints", max_results: 2 });
    assert.equal((again as { cached: boolean }).cached, true);
    assert.equal(site.searches.length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("web_search refuses a blank query and max_results outside 1–20", async () => {
  const runTask = runnerFor("http://127.0.0.1:9");
  await assert.rejects(runTask("web_search", { query: "  " }), hasCode("invalid_input", /query/));
  await assert.rejects(runTask("web_search", {}), hasCode("invalid_input", /'query'/));
  for (const max_results of [0, 21, 2.5, "5"]) {
    await assert.rejects(
      runTask("web_search", { query: "x", max_results }),
      hasCode("invalid_input", /payload\.max_results must be an integer from 1 to 20/),
    );
  }
});

Deno.test("web_search with every provider down fails clearly (web_unavailable)", async () => {
  await using site = startFakeWeb({ searchStatus: 503 });
  await assert.rejects(
    runnerFor(site.searxngUrl)("web_search", { query: "spores" }),
    hasCode("web_unavailable", /Web search failed with every provider:\n\s+searxng: .*503/),
  );
});

Deno.test("web_fetch returns {url, status, title, text, length, truncated}, cut at max_length", async () => {
  await using site = startFakeWeb();
  const runTask = runnerFor(site.searxngUrl);
  const page = await runTask("web_fetch", { url: `${site.url}/pages/caps` }) as Record<
    string,
    unknown
  >;
  assert.deepEqual(Object.keys(page), ["url", "status", "title", "text", "length", "truncated"]);
  assert.equal(page.title, "Page caps");
  assert.match(String(page.text), /This page, caps, explains spores/);
  assert.equal(page.truncated, false);
  const cut = await runTask("web_fetch", { url: `${site.url}/pages/caps`, max_length: 10 });
  assert.deepEqual(
    [(cut as { length: number }).length, (cut as { truncated: boolean }).truncated],
    [10, true],
  );
  await assert.rejects(
    runTask("web_fetch", { url: `${site.url}/pages/x`, max_length: 0 }),
    hasCode("invalid_input", /payload\.max_length/),
  );
});

Deno.test("web_fetch keeps the SSRF guard: loopback refused by default, own API port always", async () => {
  await using site = startFakeWeb();
  const guarded = localRunTask(webHandlers({ fetch }));
  await assert.rejects(
    guarded("web_fetch", { url: `${site.url}/pages/a` }),
    hasCode("url_refused", /loopback/),
  );
  const own = runnerFor(site.searxngUrl, { page: { allowPrivate: true, ownApiPort: site.port } });
  await assert.rejects(own("web_fetch", { url: `${site.url}/pages/a` }), hasCode("url_refused"));
  assert.equal(site.pagesRead.length, 0);
  await assert.rejects(
    guarded("web_fetch", { url: "file:///etc/passwd" }),
    hasCode("url_refused"),
  );
});

Deno.test("webHandlerOptions() follows the config: provider order, cache, private pages", async () => {
  await using site = startFakeWeb();
  const home = await Deno.makeTempDir();
  try {
    const config = await loadConfig({
      env: {
        MYCOSWARM_HOME: home,
        MYCOSWARM_SEARXNG_URL: site.searxngUrl,
        MYCOSWARM_WEB_PROVIDERS: "searxng",
        MYCOSWARM_WEB_ALLOW_PRIVATE: "1",
      },
    });
    const options = webHandlerOptions(config, { fetch });
    assert.deepEqual(options.providers.map((p) => p.name), ["searxng"]);
    assert.deepEqual(options.page, { allowPrivate: true, ownApiPort: 7890 });
    const runTask = localRunTask(webHandlers({ fetch, web: options }));
    await runTask("web_search", { query: "mycelium" });
    assert.equal([...Deno.readDirSync(`${home}/web-cache`)].length, 1);
    const page = await runTask("web_fetch", { url: `${site.url}/pages/m` });
    assert.equal((page as { status: number }).status, 200);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("localRunTask() refuses unknown types and stops a task when the signal fires", async () => {
  await using site = startFakeWeb({ searchDelayMs: 5_000 });
  const runTask = runnerFor(site.searxngUrl);
  await assert.rejects(runTask("ping", {}), hasCode("invalid_input", /'ping' is not run/));
  const controller = new AbortController();
  const pending = runTask("web_search", { query: "slow" }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(pending, (e) => isMycoError(e, "interrupted"));
});
