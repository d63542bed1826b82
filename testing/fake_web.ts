/**
 * A fake web on loopback for the research and web task tests: a SearXNG JSON API at
 * `/searx/search` (its real response format) and article pages at `/pages/<name>`.
 * It counts how many searches run at once, so tests assert concurrency, not timing.
 *
 * @module
 */

import { fakeServer, sleep } from "./fake_server.ts";

/** One SearXNG result as the API sends it. */
export interface FakeHit {
  title: string;
  url: string;
  content: string;
}

/** Behaviour of {@linkcode startFakeWeb}; the object on a running fake is live. */
export interface FakeWebOptions {
  /** Milliseconds every search takes. @default 0 */
  searchDelayMs?: number;
  /**
   * Holds each search until this many are in flight together (then all answer at once), or
   * until `searchDelayMs` has passed: concurrency shows however slowly the machine schedules
   * the callers. @default 0 (no holding: every search takes `searchDelayMs`)
   */
  searchesTogether?: number;
  /** Every search answers this HTTP status (a provider that is down). @default 200 */
  searchStatus?: number;
  /**
   * The hits for a query. @default two of its own pages, then `/pages/shared` (with a
   * tracking parameter, so de-duplication must normalise URLs)
   */
  hits?: (query: string, base: string) => FakeHit[];
  /** Page names that answer HTTP 500. @default ["broken"] */
  brokenPages?: string[];
}

/** A running fake web; `await using` closes it. */
export interface FakeWeb extends AsyncDisposable {
  url: string;
  port: number;
  /** The base URL to give as MYCOSWARM_SEARXNG_URL. */
  searxngUrl: string;
  options: FakeWebOptions;
  /** Each query searched, in arrival order. */
  searches: string[];
  /** Each page path read, in arrival order. */
  pagesRead: string[];
  /** The most searches that were in progress at the same time. */
  maxConcurrentSearches: number;
}

/** The words of a query joined by dashes: "deno fmt" → "deno-fmt". */
export function slug(query: string): string {
  return query.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function defaultHits(query: string, base: string): FakeHit[] {
  const s = slug(query);
  return [
    { title: `${query} guide`, url: `${base}/pages/${s}-guide`, content: `All about ${query}.` },
    { title: `${query} notes`, url: `${base}/pages/${s}-notes`, content: `Notes on ${query}.` },
    { title: "Shared page", url: `${base}/pages/shared?utm_source=${s}`, content: "Shared." },
  ];
}

/** An article page whose text names the page. */
export function articleHtml(name: string): string {
  return `<html><head><title>Page ${name}</title></head><body><main><h1>Page ${name}</h1>` +
    `<p>This page, ${name}, explains spores and hyphae in plain words.</p></main></body></html>`;
}

/** Starts the fake web on 127.0.0.1. */
export function startFakeWeb(options: FakeWebOptions = {}): FakeWeb {
  let running = 0;
  const web: Omit<FakeWeb, "url" | "port" | "searxngUrl" | typeof Symbol.asyncDispose> = {
    options,
    searches: [],
    pagesRead: [],
    maxConcurrentSearches: 0,
  };
  let together: (() => void)[] = [];
  /** Waits `searchDelayMs`, or less when `searchesTogether` searches are in flight. */
  const holdSearch = async (closed: AbortSignal) => {
    const wanted = options.searchesTogether ?? 0;
    if (wanted > 0 && running >= wanted) {
      for (const release of together) release();
      together = [];
      return;
    }
    if (wanted <= 0) return await sleep(options.searchDelayMs ?? 0, closed);
    const stop = new AbortController();
    together.push(() => stop.abort());
    await sleep(options.searchDelayMs ?? 0, AbortSignal.any([closed, stop.signal]));
  };
  const server = fakeServer(async (request, { closed }) => {
    const url = new URL(request.url);
    const base = `${url.protocol}//${url.host}`;
    if (url.pathname === "/searx/search") {
      const query = url.searchParams.get("q") ?? "";
      web.searches.push(query);
      running++;
      web.maxConcurrentSearches = Math.max(web.maxConcurrentSearches, running);
      try {
        await holdSearch(closed);
      } finally {
        running--;
      }
      const status = options.searchStatus ?? 200;
      if (status !== 200) return new Response("unavailable", { status });
      const results = (options.hits ?? defaultHits)(query, base);
      return Response.json({ query, results, unresponsive_engines: [] });
    }
    if (url.pathname.startsWith("/pages/")) {
      const name = url.pathname.slice("/pages/".length);
      web.pagesRead.push(url.pathname);
      if ((options.brokenPages ?? ["broken"]).some((b) => name.startsWith(b))) {
        return new Response("oops", { status: 500 });
      }
      return new Response(articleHtml(name), {
        headers: { "Content-Type": "text/html; charset=utf-8" },
      });
    }
    return new Response("not found", { status: 404 });
  });
  return Object.assign(web, {
    url: server.url,
    port: server.port,
    searxngUrl: `${server.url}/searx`,
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  });
}

/**
 * Runs the fake web alone, for processes the test cannot reach in-process (a daemon in a
 * network namespace): `deno run -A testing/fake_web.ts [search delay ms]` prints
 * "fake web listening on <url>" and serves until killed.
 */
if (import.meta.main) {
  const delay = Number(Deno.args[0] ?? 0);
  const web = startFakeWeb({ searchDelayMs: Number.isFinite(delay) ? delay : 0 });
  console.log(`fake web listening on ${web.url}`);
}
