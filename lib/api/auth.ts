/**
 * The swarm token check: every route but `GET /health` needs the token, in `X-Swarm-Token`
 * or `Authorization: Bearer`, compared in constant time. None → 401, wrong → 403.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { timingSafeEqual } from "../discovery/mod.ts";
import { ApiError } from "./api_error.ts";

const encoder = new TextEncoder();

/** The token a request presents, or null when it presents none. */
export function presentedToken(headers: Headers): string | null {
  const header = headers.get("x-swarm-token")?.trim();
  if (header) return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/** True when `path` may be read without the token. */
function isPublic(method: string, path: string): boolean {
  return (method === "GET" || method === "HEAD") && path === "/health";
}

/**
 * Middleware requiring `token`.
 *
 * @example
 * ```ts
 * app.use("*", requireToken(token));
 * ```
 */
export function requireToken(token: string): MiddlewareHandler {
  const expected = encoder.encode(token);
  return async (c, next) => {
    if (isPublic(c.req.method, c.req.path)) return await next();
    const given = presentedToken(c.req.raw.headers);
    if (given === null) {
      throw new ApiError(
        401,
        "unauthorized",
        "This route needs the swarm token: send X-Swarm-Token or Authorization: Bearer",
        { headers: { "WWW-Authenticate": 'Bearer realm="mycoswarm"' } },
      );
    }
    // The length is public (64); the comparison of the bytes takes the same time either way.
    if (!timingSafeEqual(encoder.encode(given), expected)) {
      throw new ApiError(403, "forbidden", "Wrong swarm token (see `mycoswarm token`)");
    }
    await next();
  };
}
