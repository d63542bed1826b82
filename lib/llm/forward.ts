/**
 * A client's request, sent on to this node's model server unchanged: the drop-in Ollama and
 * OpenAI routes pass requests for a named model straight through, and the answer comes back
 * as the server wrote it — status, headers that describe the body, and the body, streamed.
 *
 * @module
 */

import { createError, type Fetch } from "../core/mod.ts";
import { unreachableMessage } from "./model_server.ts";
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
 * @throws MycoError `invalid_input` for an Ollama path on a server that speaks only the
 *   OpenAI API; `model_server_unreachable` when nothing answers
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
      throw createError(
        "invalid_input",
        `The model server at ${server.url} speaks only the OpenAI API: ` +
          `send this request to its OpenAI route (/v1/...) instead of ${path}`,
      );
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
