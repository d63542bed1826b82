/** Turns the ways people name a model server into one base URL. */

import { createError, redactUrl } from "../core/mod.ts";

/** Ollama's default port. */
export const OLLAMA_DEFAULT_PORT = 11434;

/**
 * Parses `OLLAMA_HOST` the way Ollama itself does: the scheme defaults to
 * http, the host to 127.0.0.1 and the port to 11434 (80/443 when a scheme is
 * given without a port). `0.0.0.0` and `::` mean "this machine" for a client.
 *
 * @example
 * ```ts
 * parseOllamaHost("gpu-box"); // "http://gpu-box:11434"
 * parseOllamaHost(":8080");   // "http://127.0.0.1:8080"
 * ```
 */
export function parseOllamaHost(value: string): string {
  const text = value.trim();
  let scheme = "http";
  let rest = text;
  let defaultPort = String(OLLAMA_DEFAULT_PORT);
  const schemeAt = text.indexOf("://");
  if (schemeAt >= 0) {
    scheme = text.slice(0, schemeAt).toLowerCase();
    rest = text.slice(schemeAt + 3);
    if (scheme === "http") defaultPort = "80";
    else if (scheme === "https") defaultPort = "443";
    else throw invalid("OLLAMA_HOST", value, `unsupported scheme '${scheme}'`);
  }
  const slash = rest.indexOf("/");
  const path = slash >= 0 ? rest.slice(slash).replace(/\/+$/, "") : "";
  const hostPort = slash >= 0 ? rest.slice(0, slash) : rest;
  let host = "127.0.0.1";
  let port = defaultPort;
  const bracketed = hostPort.match(/^\[([^\]]+)\](?::(\d*))?$/);
  if (bracketed) {
    host = bracketed[1] ?? host;
    if (bracketed[2]) port = bracketed[2];
  } else if ((hostPort.match(/:/g) ?? []).length === 1) {
    const [h, p] = hostPort.split(":");
    if (h) host = h;
    if (p) port = p;
  } else if (hostPort.includes(":")) {
    host = hostPort; // a bare IPv6 address
  } else if (hostPort) {
    host = hostPort;
  }
  const portNumber = Number(port);
  if (!/^\d+$/.test(port) || portNumber > 65535) {
    throw invalid("OLLAMA_HOST", value, `bad port '${port}'`);
  }
  if (host === "0.0.0.0") host = "127.0.0.1";
  if (host === "::") host = "::1";
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return `${scheme}://${shownHost}:${port}${path}`;
}

/**
 * Checks an OpenAI-compatible base URL (`MYCOSWARM_LLM_URL`) and drops a
 * trailing slash. A trailing `/v1` is kept: it is part of the API base.
 */
export function parseBaseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid(name, value, "not a URL (expected e.g. http://127.0.0.1:8080/v1)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid(name, value, "only http:// and https:// are supported");
  }
  return url.href.replace(/\/+$/, "");
}

function invalid(name: string, value: string, why: string) {
  return createError(
    "config_invalid",
    redactUrl(`${name}=${JSON.stringify(value)} is invalid: ${why}`),
  );
}
