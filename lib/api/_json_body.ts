/** Reading JSON request bodies with errors that name the field (`error.field`). */

import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ApiError } from "./api_error.ts";

/** A 400 naming `field`: "<field> <why>". */
export function invalid(field: string, why: string): ApiError {
  return new ApiError(400, "invalid_input", `${field} ${why}`, { field });
}

/**
 * The body text as a JSON object.
 *
 * @throws ApiError 400 `invalid_input` for text that is not JSON or not an object
 */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ApiError(400, "invalid_input", `The request body is not JSON: ${why}`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "invalid_input", "The request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** An optional number field within [min, max]; `integer` also refuses fractions. */
export function numberIn(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  { integer = false }: { integer?: boolean } = {},
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const ok = typeof value === "number" && (integer ? Number.isInteger(value) : isFinite(value));
  if (!ok || (value as number) < min || (value as number) > max) {
    throw invalid(field, `must be ${integer ? "an integer" : "a number"} from ${min} to ${max}`);
  }
  return value as number;
}

/** An optional integer field within [min, max]. */
export function integerIn(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  return numberIn(body, field, min, max, { integer: true });
}

/** Refuses a body over `maxBytes` with 413, with or without Content-Length. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `The request body is over ${maxBytes} bytes`);
    },
  });
}
