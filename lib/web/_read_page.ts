/** The last hop of fetchPage: status and type checks, the bounded body, the text. */

import { createError } from "../core/mod.ts";
import { decodeBody, kindOf, mediaType, sniffKind } from "./_content_type.ts";
import { why } from "./_messages.ts";
import { readBody } from "./_read_body.ts";
import { extractReadable } from "./extract_readable.ts";
import type { FetchedPage } from "./fetch_page.ts";

/** How much to read, and the signals that stop reading. */
export interface ReadLimits {
  maxBytes: number;
  /** The call's deadline (or the caller's cancel): stops the body, keeps what came. */
  signal: AbortSignal;
  /** The caller's own signal: a cancel, not a cut. */
  outer?: AbortSignal | undefined;
}

/**
 * Turns a final (non-redirect) response into a page.
 *
 * @throws MycoError for HTTP errors and non-text bodies (see fetchPage)
 */
export async function readPage(
  url: URL,
  response: Response,
  limits: ReadLimits,
): Promise<FetchedPage> {
  const type = mediaType(response.headers.get("Content-Type"));
  const declared = kindOf(type);
  if (response.status >= 400 || declared === "refused") {
    await response.body?.cancel().catch(() => {});
    if (response.status === 429) {
      throw createError("rate_limited", `${url.host} is rate-limiting this address (HTTP 429)`);
    }
    if (response.status >= 400) {
      throw createError("web_unavailable", `${url} answered HTTP ${response.status}`);
    }
    throw refused(url, type);
  }
  const body = await readBody(response.body, limits.maxBytes, limits.signal).catch((error) => {
    throw createError("web_unavailable", `${url.host} broke off the page: ${why(error)}`);
  });
  if (limits.outer?.aborted) throw createError("interrupted", `Reading ${url} was cancelled`);
  const kind = declared === "unknown" ? sniffKind(body.bytes) : declared;
  if (kind === "refused") throw refused(url, type || "binary data");
  const truncated = body.truncated || body.stopped;
  const raw = decodeBody(body.bytes, response.headers.get("Content-Type"), truncated);
  const { title, text } = kind === "html"
    ? extractReadable(raw)
    : { title: "", text: raw.replace(/\r\n?/g, "\n").trim() };
  return {
    url: url.href,
    status: response.status,
    title,
    text,
    length: text.length,
    truncated,
    contentType: type,
  };
}

function refused(url: URL, type: string) {
  return createError(
    "unsupported_content",
    `${url} is ${type}, not a web page; only HTML and plain text are read`,
  );
}
