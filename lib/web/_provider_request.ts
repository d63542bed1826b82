/** One HTTP request to a search provider, with its failures turned into one-line MycoErrors. */

import { createError, VERSION } from "../core/mod.ts";
import { deadline } from "./_deadline.ts";
import { seconds, why } from "./_messages.ts";
import { readBody } from "./_read_body.ts";
import type { ProviderOptions } from "./types.ts";

/** How mycoswarm introduces itself to search engines and web sites. */
export const USER_AGENT = `mycoswarm/${VERSION} (local-first personal AI; occasional searches)`;
/** Budget for one provider request, headers and body. */
export const DEFAULT_SEARCH_TIMEOUT_MS = 10_000;
/** A results page is 30–50 kB; anything past this is not a results page. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** One request to make. */
export interface ProviderRequest {
  /** For messages: "DuckDuckGo", "SearXNG", "Brave Search". */
  label: string;
  url: URL;
  init?: RequestInit;
  options: ProviderOptions;
  signal?: AbortSignal | undefined;
  /** Messages for statuses that mean something specific (e.g. 401 → check the key). */
  statusHints?: Readonly<Record<number, string>>;
}

/** What the provider answered: any status below 400. */
export interface ProviderAnswer {
  status: number;
  text: string;
}

/**
 * Sends the request and reads the answer as text.
 *
 * @throws MycoError `rate_limited` for HTTP 429, `web_unavailable` when the
 * provider cannot be reached, is too slow, answers an HTTP error or too much,
 * `interrupted` when the caller's signal fires
 */
export async function requestProvider(request: ProviderRequest): Promise<ProviderAnswer> {
  const { label, url, options } = request;
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEARCH_TIMEOUT_MS;
  using limit = deadline(timeoutMs, request.signal);
  const headers = new Headers(request.init?.headers);
  headers.set("User-Agent", options.userAgent ?? USER_AGENT);
  let response: Response;
  try {
    response = await fetch(url, { ...request.init, headers, signal: limit.signal });
  } catch (error) {
    if (request.signal?.aborted) throw cancelled(label, error);
    if (limit.expired) {
      throw createError("web_unavailable", `${label} did not answer within ${seconds(timeoutMs)}`);
    }
    throw createError("web_unavailable", `Cannot reach ${label} at ${url.origin}: ${why(error)}`, {
      cause: error,
    });
  }
  if (response.status >= 400) {
    await response.body?.cancel().catch(() => {});
    throw statusError(request, response);
  }
  const body = await readBody(response.body, MAX_ANSWER_BYTES, limit.signal).catch((error) => {
    throw createError("web_unavailable", `${label} broke off its answer: ${why(error)}`);
  });
  if (request.signal?.aborted) throw cancelled(label, request.signal.reason);
  if (body.stopped) {
    throw createError(
      "web_unavailable",
      `${label} did not finish its answer within ${seconds(timeoutMs)}`,
    );
  }
  if (body.truncated) {
    throw createError("web_unavailable", `${label} sent more than 4 MB; that is no results page`);
  }
  return { status: response.status, text: new TextDecoder().decode(body.bytes) };
}

function statusError(request: ProviderRequest, response: Response) {
  const { label } = request;
  const status = response.status;
  if (status === 429) {
    const after = response.headers.get("Retry-After");
    const wait = after && /^\d+$/.test(after) ? `in ${after} s` : "in a few minutes";
    return createError(
      "rate_limited",
      `${label} is rate-limiting this address (HTTP 429); try again ${wait}`,
    );
  }
  const hint = request.statusHints?.[status];
  return createError(
    "web_unavailable",
    `${label} answered HTTP ${status}${hint ? `: ${hint}` : ""}`,
  );
}

function cancelled(label: string, cause: unknown) {
  return createError("interrupted", `The search on ${label} was cancelled`, { cause });
}
