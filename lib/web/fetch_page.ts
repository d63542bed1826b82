/**
 * Reads one web page for the model (`web_fetch`): bounded in size, time and
 * redirects, guarded against SSRF at every hop, reduced to readable text.
 */

import { createError } from "../core/mod.ts";
import { type Deadline, deadline } from "./_deadline.ts";
import { seconds, why } from "./_messages.ts";
import { USER_AGENT } from "./_provider_request.ts";
import { readPage } from "./_read_page.ts";
import { type PageTransport, pinnedTransport } from "./page_transport.ts";
import { checkTarget, DEFAULT_API_PORT, resolveHost, type Resolver } from "./target_guard.ts";

/** Settings of {@linkcode fetchPage}; every field has a safe default. */
export interface FetchPageOptions {
  /**
   * Sends each hop, connecting only to the addresses the guard checked; injected so tests can
   * answer without a socket. @default {@linkcode pinnedTransport}
   */
  transport?: PageTransport | undefined;
  /** Bytes of body read at most; the rest is cut (`truncated`). @default 2 MiB */
  maxBytes?: number | undefined;
  /** Budget for the whole read, redirects included; a slower body is cut. @default 15000 */
  timeoutMs?: number | undefined;
  /** Redirects followed at most, each checked against the SSRF guard. @default 5 */
  maxRedirects?: number | undefined;
  /** Allow loopback, link-local and private addresses (tests, trusted setups). @default false */
  allowPrivate?: boolean | undefined;
  /**
   * This node's API port, refused on loopback whatever `allowPrivate` says; a getter when the
   * port is known only once the daemon listens. @default 7890
   */
  ownApiPort?: number | (() => number) | undefined;
  /** Resolves host names, so the guard checks the addresses actually used. @default {@linkcode resolveHost} (DNS A and AAAA) */
  resolve?: Resolver | undefined;
  /** Cancels the read. */
  signal?: AbortSignal | undefined;
  /** Sent as User-Agent: some sites refuse requests without one. @default {@linkcode USER_AGENT} */
  userAgent?: string | undefined;
}

/** A page as read. */
export interface FetchedPage {
  /** The final URL, after redirects. */
  url: string;
  /** The final HTTP status. */
  status: number;
  /** "" when the page has none (plain text). */
  title: string;
  /** The readable text of the page. */
  text: string;
  /** Characters of `text`. */
  length: number;
  /** The body was cut at `maxBytes` or at the time limit. */
  truncated: boolean;
  /** The media type, e.g. "text/html" ("" when the server sent none). */
  contentType: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a page and extracts its readable text.
 *
 * @throws MycoError `invalid_input` for a malformed URL; `url_refused` for a
 * non-http(s) URL or a loopback/link-local/private host (any hop);
 * `unsupported_content` for images, binaries and other non-text bodies;
 * `rate_limited` for HTTP 429; `web_unavailable` for an unreachable or slow
 * site, an HTTP error, or too many redirects; `interrupted` when `signal` fires
 * @example
 * ```ts
 * const page = await fetchPage("https://example.com/");
 * console.log(page.title, page.text.slice(0, 200));
 * ```
 */
export async function fetchPage(url: string, options: FetchPageOptions = {}): Promise<FetchedPage> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  let current = parseUrl(url);
  using limit = deadline(timeoutMs, options.signal);
  const policy = {
    allowPrivate: options.allowPrivate ?? false,
    ownApiPort: options.ownApiPort ?? DEFAULT_API_PORT,
    resolve: options.resolve ?? resolveHost,
    signal: limit.signal,
  };
  for (let redirects = 0;; redirects++) {
    const addresses = await checkTarget(current, policy);
    const response = await send(current, addresses, options, limit);
    if (!REDIRECTS.has(response.status)) {
      return await readPage(current, response, {
        maxBytes,
        signal: limit.signal,
        outer: options.signal,
      });
    }
    await response.body?.cancel().catch(() => {});
    const location = response.headers.get("Location");
    if (location === null) {
      throw createError("web_unavailable", `${current} redirects without saying where`);
    }
    if (redirects >= maxRedirects) {
      throw createError("web_unavailable", `${url} redirects more than ${maxRedirects} times`);
    }
    current = new URL(location, current);
  }
}

function parseUrl(url: string): URL {
  try {
    return new URL(url.trim());
  } catch {
    throw createError("invalid_input", `"${url}" is not a URL; give a full http(s):// address`);
  }
}

async function send(
  url: URL,
  addresses: string[],
  options: FetchPageOptions,
  limit: Deadline,
): Promise<Response> {
  const transport = options.transport ?? pinnedTransport;
  try {
    // Redirects come back here, so each hop goes through checkTarget.
    return await transport({
      url,
      addresses,
      signal: limit.signal,
      headers: {
        "User-Agent": options.userAgent ?? USER_AGENT,
        Accept: "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
      },
    });
  } catch (error) {
    if (options.signal?.aborted) throw createError("interrupted", `Reading ${url} was cancelled`);
    if (limit.expired) {
      throw createError(
        "web_unavailable",
        `${url.host} did not answer within ${seconds(limit.ms)}`,
      );
    }
    throw createError("web_unavailable", `Cannot read ${url}: ${why(error)}`, { cause: error });
  }
}
