/**
 * A client's request, sent on to this node's model server unchanged: the drop-in Ollama and
 * OpenAI routes pass requests for a named model straight through, and the answer comes back
 * as the server wrote it — status, headers that describe the body, and the body, streamed.
 *
 * @module
 */

import { createError, type Fetch } from "../core/mod.ts";
import { unreachableMessage } from "./model_server.ts";
import { bridgeOllama } from "./ollama_bridge.ts";
import type { ModelServer } from "./types.ts";

/** What is sent on. */
export interface ForwardedRequest {
  /** The HTTP method, as the client sent it. */
  method: string;
  /** The body as the client sent it; none for GET and HEAD. */
  body?: string | undefined;
  /** Stops the request (the client went away). */
  signal?: AbortSignal | undefined;
}

/** Paths of Ollama's own API, which a plain OpenAI-compatible server does not have. */
export function isOllamaPath(path: string): boolean {
  return path === "/" || path.startsWith("/api/");
}

/**
 * Sends `request` to `path` of `server`: an Ollama path (`/api/chat`) to Ollama's root, an
 * OpenAI path (`/v1/chat/completions`) to the server's OpenAI-compatible base. The
 * response is returned as the server answered it, whatever its status.
 *
 * An Ollama path on a server that speaks only the OpenAI API is translated to its `/v1`
 * counterpart and the answer back to Ollama's shape (see `ollama_bridge.ts`).
 *
 * @throws MycoError `model_server_unreachable` when nothing answers
 */
export async function forwardToServer(
  server: ModelServer,
  path: string,
  request: ForwardedRequest,
  fetch: Fetch,
): Promise<Response> {
  let url: string;
  if (isOllamaPath(path)) {
    if (server.kind !== "ollama") {
      // A plain OpenAI-compatible server: Ollama's requests are translated, answers too.
      return await bridgeOllama(path, request, {
        server,
        send: (v1Path, body, signal) =>
          forwardToServer(server, v1Path, { method: "POST", body, signal }, fetch),
      });
    }
    url = `${server.url.replace(/\/+$/, "")}${path}`;
  } else {
    url = `${server.apiBase.replace(/\/+$/, "")}${path.replace(/^\/v1/, "")}`;
  }
  const headers = new Headers();
  if (request.body !== undefined) headers.set("content-type", "application/json");
  if (server.apiKey) headers.set("authorization", `Bearer ${server.apiKey}`);
  try {
    return await fetch(url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw createError("model_server_unreachable", unreachableMessage(server), { cause: error });
  }
}
