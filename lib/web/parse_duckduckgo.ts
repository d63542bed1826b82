/**
 * Reads DuckDuckGo's HTML results page (html.duckduckgo.com/html/). Each hit is
 * a `.result` block with a `.result__a` title link and a `.result__snippet`;
 * ads are `.result--ad` blocks linking through `duckduckgo.com/y.js`. Organic
 * links are direct, or (older pages) `//duckduckgo.com/l/?uddg=<encoded url>`.
 */

import { createError } from "../core/mod.ts";
import { all, lineText, parseDocument } from "./_dom.ts";
import type { WebResult } from "./types.ts";

/** Elements found only on DuckDuckGo's "bots use DuckDuckGo too" challenge page. */
const CHALLENGE = "#challenge-form, .anomaly-modal__modal, .anomaly-modal__title, " +
  'form[action*="anomaly.js"]';
/** What DuckDuckGo shows when a query has no hits. */
const NO_RESULTS = ".no-results, .result--no-result";

/**
 * The organic results of a DuckDuckGo HTML page, in page order, ads skipped.
 * Returns [] for the page that says "No results".
 *
 * @throws MycoError `rate_limited` for the bot challenge page, `web_unavailable`
 * when the page has neither results nor the no-results notice (markup changed)
 */
export function parseDuckDuckGoHtml(html: string): WebResult[] {
  const doc = parseDocument(html);
  if (doc.querySelector(CHALLENGE) !== null) throw duckDuckGoChallenge("a bot challenge page");
  const blocks = all(doc, ".result");
  const results: WebResult[] = [];
  let linkless = 0;
  for (const block of blocks) {
    if (block.classList.contains("result--ad") || block.classList.contains("result--no-result")) {
      continue;
    }
    const link = block.querySelector(".result__a");
    if (link === null) {
      linkless++;
      continue;
    }
    const url = resultUrl(link.getAttribute("href") ?? "");
    const title = lineText(link);
    if (url === null || title === "") continue;
    results.push({ title, url, snippet: lineText(block.querySelector(".result__snippet")) });
  }
  if (results.length > 0 || doc.querySelector(NO_RESULTS) !== null) return results;
  if (blocks.length === 0 || linkless > 0) {
    const found = blocks.length === 0 ? "no .result blocks" : "results without .result__a links";
    throw createError(
      "web_unavailable",
      `DuckDuckGo's results page has changed (${found}); mycoswarm needs an update to read it`,
    );
  }
  return results; // only ads
}

/**
 * The destination of a result link: DuckDuckGo's `/l/?uddg=` redirect decoded,
 * a direct http(s) link kept, anything else (ads via `y.js`, internal links) null.
 *
 * @example
 * ```ts
 * resultUrl("//duckduckgo.com/l/?uddg=https%3A%2F%2Fdeno.com%2F&rut=ab"); // "https://deno.com/"
 * ```
 */
export function resultUrl(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href, "https://duckduckgo.com/");
  } catch {
    return null;
  }
  if (url.hostname === "duckduckgo.com" || url.hostname.endsWith(".duckduckgo.com")) {
    const target = url.pathname === "/l/" ? url.searchParams.get("uddg") : null;
    return target === null ? null : httpUrl(target);
  }
  return httpUrl(url.href);
}

function httpUrl(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** The error for DuckDuckGo's bot challenge (HTTP 202 or the anomaly page). */
export function duckDuckGoChallenge(what: string) {
  return createError(
    "rate_limited",
    `DuckDuckGo answered with ${what} instead of results: it is rate-limiting this address; ` +
      "wait a few minutes, or configure SearXNG or Brave Search",
  );
}
