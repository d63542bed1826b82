/**
 * CORS for the client routes (`/`, `/api/…`, `/v1/…`), so a web page served from a listed
 * origin (`[api] cors_origins`) can call them from the browser:
 *
 * - a preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from a listed
 *   origin answers 204 with the allowed methods, the requested headers, and a max-age,
 *   before any auth (browsers send preflights without credentials);
 * - a preflight from an unlisted origin answers 403 with a JSON error and no CORS headers,
 *   so the browser stops there and the developer reads why in the network tab;
 * - responses to a listed origin carry `Access-Control-Allow-Origin` (errors too, so the page
 *   can read a 401); every client-route response carries `Vary: Origin` once any origin is
 *   listed, so a cache never hands one origin's answer to another.
 *
 * Node routes never answer CORS: a browser has no business calling them. Hono's `cors()`
 * answers every preflight 204, unlisted origins included, hence this small one.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { ApiError } from "./api_error.ts";
import { isClientRoute } from "./route_class.ts";

/** Methods the client routes use. */
const METHODS = "GET, HEAD, POST, DELETE, OPTIONS";
/** Allowed when a preflight names no headers. */
const DEFAULT_HEADERS = "Authorization, Content-Type, X-Mycoswarm-Session";
/** Seconds a browser may cache a preflight (Chrome caps it at 7200). */
const MAX_AGE_SECONDS = 600;

/** True when `origin` is one of `origins`, or `origins` holds `*`. */
export function originAllowed(origins: readonly string[], origin: string): boolean {
  return origins.includes("*") || origins.includes(origin);
}

/**
 * Middleware answering CORS for the client routes; does nothing when `origins` is empty.
 *
 * @param origins exact origins (`http://localhost:3000`), or `*` for any
 */
export function clientCors(origins: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (origins.length === 0 || !isClientRoute(c.req.path)) return await next();
    const origin = c.req.header("origin");
    const method = c.req.header("access-control-request-method");
    if (c.req.method === "OPTIONS" && origin !== undefined && method !== undefined) {
      if (!originAllowed(origins, origin)) {
        throw new ApiError(
          403,
          "forbidden",
          `Origin ${origin} may not call this API from a browser: add it to [api] cors_origins`,
        );
      }
      const asked = c.req.header("access-control-request-headers")?.split(",")
        .map((h) => h.trim()).filter((h) => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h));
      return new Response(null, {
        status: 204,
        headers: {
          "Access-Control-Allow-Origin": origin,
          "Access-Control-Allow-Methods": METHODS,
          "Access-Control-Allow-Headers": asked?.length ? asked.join(", ") : DEFAULT_HEADERS,
          "Access-Control-Max-Age": String(MAX_AGE_SECONDS),
          "Vary": "Origin, Access-Control-Request-Headers",
        },
      });
    }
    await next();
    if (origin !== undefined && originAllowed(origins, origin)) {
      c.header("Access-Control-Allow-Origin", origin);
    }
    c.header("Vary", "Origin", { append: true });
  };
}
