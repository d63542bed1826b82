/**
 * Errors as the API answers them: `{error: {code, message}}` with the status from the one
 * error table (MycoError), or from an {@linkcode ApiError} for what only HTTP has (401,
 * 403, 413, 503 with Retry-After).
 *
 * @module
 */

import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { SessionBusyError } from "../chat/mod.ts";
import { isMycoError, type Logger } from "../core/mod.ts";

/** An HTTP-level error: status, a code for programs, a message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The JSON body of every API error. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** The JSON error body. */
export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: { code, message, ...(field === undefined ? {} : { field }) } };
}

/** Under `/api/`, Ollama's routes: their clients read `error` as a string. */
const OLLAMA_PREFIX = "/api/";

/** The error body in the shape the route's clients expect. */
function respond(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  field?: string,
): Response {
  if (c.req.path.startsWith(OLLAMA_PREFIX)) return c.json({ error: message }, status);
  return c.json(errorBody(code, message, field), status);
}

/**
 * The app's one `onError`: every error becomes a JSON body with the right status —
 * `{error: {code, message, field?}}`, or Ollama's `{error: "..."}` under `/api/`. Every 503
 * (a full queue, no node free: `swarm_unavailable`) says when to try again, `Retry-After:
 * retryAfterSeconds`, as `POST /task` does; a session with too many requests waiting is a
 * 429 with it too.
 */
export function errorHandler(logger: Logger | undefined, retryAfterSeconds = 5) {
  return (error: Error, c: Context): Response => {
    if (error instanceof SessionBusyError) {
      c.header("Retry-After", String(retryAfterSeconds));
      return respond(c, 429, "session_busy", error.message);
    }
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.extra.headers ?? {})) {
        c.header(name, value);
      }
      return respond(c, error.status, error.code, error.message, error.extra.field);
    }
    if (isMycoError(error)) {
      const message = error.hint ? `${error.message} (${error.hint})` : error.message;
      const status = error.httpStatus as ContentfulStatusCode;
      if (status === 503) c.header("Retry-After", String(retryAfterSeconds));
      return respond(c, status, error.code, message, error.field);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      return respond(c, status, "http_error", error.message || `HTTP ${status}`);
    }
    logger?.error(`node API: ${c.req.method} ${c.req.path} failed: ${error.stack ?? error}`);
    return respond(c, 500, "internal", "Internal error; see the daemon's log");
  };
}

/** The app's `notFound`. */
export function notFound(c: Context): Response {
  return respond(c, 404, "not_found", `No route ${c.req.method} ${c.req.path}`);
}
