/**
 * Reading JSON request bodies: the body as a JSON object, and its size limit. Its fields
 * are read with the validators of `lib/core` (`optionalNumber()`, ...), whose errors name
 * the field (`error.field`).
 */

import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createError } from "../core/mod.ts";
import { ApiError } from "./api_error.ts";

/**
 * The body text as a JSON object.
 *
 * @throws MycoError `invalid_input` (400) for text that is not JSON or not an object
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw createError("invalid_input", `The request body is not JSON: ${why}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw createError("invalid_input", "The request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/**
 * Refuses a body over `maxBytes` with 413, with or without Content-Length. A request for
 * which `hop.when(c)` holds (a peer passing work on) may bring up to `hop.bytes`: what a
 * node sends on is a client's body plus what its pipeline added.
 */
export function limitBody(
  maxBytes: number,
  hop?: { bytes: number; when: (c: Context) => boolean },
): MiddlewareHandler {
  const limit = (bytes: number) =>
    bodyLimit({
      maxSize: bytes,
      onError: () => {
        throw new ApiError(413, "payload_too_large", `The request body is over ${bytes} bytes`);
      },
    });
  const plain = limit(maxBytes);
  if (hop === undefined) return plain;
  const larger = limit(Math.max(maxBytes, hop.bytes));
  return (c, next) => (hop.when(c) ? larger : plain)(c, next);
}
