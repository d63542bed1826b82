/**
 * How fetchPage talks to a site: over a connection to an address the SSRF guard checked, never
 * one a second DNS lookup picks. `fetch` cannot be told which address to use (its TCP
 * transport sends https in clear), so this uses node:http and node:https with a `lookup` that
 * answers the checked addresses: http gets the Host header, https SNI and certificate checks
 * for the host name, from the URL as usual.
 */

import { type IncomingMessage, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { pipeline, Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

/** One GET, to be sent only to `addresses`. */
export interface PageRequest {
  /** The page; its host names the Host header and, for https, the certificate. */
  url: URL;
  /** The addresses the guard checked for `url`'s host; nothing else is connected to. */
  addresses: readonly string[];
  /** Request headers (User-Agent, Accept). */
  headers: Record<string, string>;
  /** Aborts the request and its body. */
  signal: AbortSignal;
}

/** Sends a {@linkcode PageRequest}; redirects are returned, not followed. */
export type PageTransport = (request: PageRequest) => Promise<Response>;

/**
 * The real transport: node:http(s) pinned to the checked addresses, bodies decompressed
 * (gzip, deflate, br), the connection closed after the body.
 */
export const pinnedTransport: PageTransport = (
  { url, addresses, headers, signal },
): Promise<Response> => {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const lookup: LookupFunction = (_host, options, done) => {
    const all = addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
    const wanted = all.filter((a) => !family || a.family === family);
    const first = wanted[0];
    if (first === undefined) done(new Error(`no checked address for ${hostname}`), []);
    else if (options.all) done(null, wanted);
    else done(null, first.address, first.family);
  };
  return new Promise((resolve, reject) => {
    const request = send({
      hostname,
      ...(url.port === "" ? {} : { port: Number(url.port) }),
      path: `${url.pathname}${url.search}`,
      method: "GET",
      headers: { ...headers, Host: url.host, "Accept-Encoding": "gzip, deflate, br" },
      agent: false, // one connection per request: nothing pooled outlives the read
      lookup,
      signal,
    }, (message) => {
      try {
        resolve(toResponse(message));
      } catch (error) {
        message.destroy();
        reject(error);
      }
    });
    request.on("error", reject);
    request.end();
  });
};

const NULL_BODY = new Set([204, 205, 304]);

function toResponse(message: IncomingMessage): Response {
  const status = message.statusCode ?? 0;
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  if (NULL_BODY.has(status)) {
    message.destroy();
    return new Response(null, { status, headers });
  }
  const decoder = decoderFor(headers.get("Content-Encoding"));
  let body: Readable = message;
  if (decoder !== null) {
    body = pipeline(message, decoder, () => {}); // an error or cancel destroys both
    headers.delete("Content-Encoding");
    headers.delete("Content-Length");
  }
  if (status < 200 || status > 599) {
    body.destroy();
    throw new Error(`invalid HTTP status ${status}`);
  }
  return new Response(Readable.toWeb(body) as ReadableStream<Uint8Array>, { status, headers });
}

function decoderFor(encoding: string | null) {
  switch (encoding?.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}
