/**
 * Who may call which route. Routes come in two classes:
 *
 * - client routes, `GET /`, `HEAD /`, Ollama's `/api/…` and OpenAI's `/v1/…`: the swarm token,
 *   a client key (`mycoswarm apikey create`), or — with no credentials at all — a source
 *   address inside one of the trusted networks;
 * - node routes, everything else (`/task…`, `/peers`, `/status`, `/identity`): the swarm token
 *   only. `GET /health` is open.
 *
 * Credentials come as `Authorization: Bearer <token or key>` or `X-Swarm-Token: <token>`.
 * Presented credentials are always checked, even from a trusted network. The presented
 * value's SHA-256 is compared in constant time with the token's and with every key's.
 * None → 401, wrong or revoked → 403, a client key on a node route → 403.
 *
 * @module
 */

import type { Context, MiddlewareHandler } from "hono";
import { getConnInfo } from "hono/deno";
import { createError, type IpNetwork, networkContains, parseCidr, toHex } from "../core/mod.ts";
import { timingSafeEqual } from "../discovery/mod.ts";
import { ApiError } from "./api_error.ts";
import { originAllowed } from "./cors.ts";
import { isClientRoute } from "./route_class.ts";
import type { ApiDeps } from "./types.ts";

const encoder = new TextEncoder();

/** What {@linkcode requireAuth} needs from the API's dependencies. */
export type AuthDeps = Pick<
  ApiDeps,
  "token" | "clientKeys" | "trustedNetworks" | "corsOrigins" | "remoteAddress"
>;

/** The token a request presents, or null when it presents none. */
export function presentedToken(headers: Headers): string | null {
  const header = headers.get("x-swarm-token")?.trim();
  if (header) return header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1] ?? null;
}

/** True when `path` may be read without credentials from anywhere. */
function isPublic(method: string, path: string): boolean {
  return (method === "GET" || method === "HEAD") && path === "/health";
}

/**
 * The caller's address from the socket (`Deno.serve`'s `remoteAddr`, through Hono's
 * connection info), or null when there is no socket (`app.request()` in tests).
 */
export function connectionAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

/**
 * Middleware enforcing the route classes above.
 *
 * @throws MycoError `config_invalid` when a trusted network is malformed (config checks
 *   them first, so only a caller building deps by hand sees this)
 * @example
 * ```ts
 * app.use("*", requireAuth({ token, clientKeys: () => watcher.keys(),
 *   trustedNetworks: ["192.168.1.0/24"] }));
 * ```
 */
export function requireAuth(deps: AuthDeps): MiddlewareHandler {
  const tokenHash = sha256Hex(deps.token);
  const tokenBytes = encoder.encode(deps.token);
  const networks = (deps.trustedNetworks ?? []).map(network);
  const remoteAddress = deps.remoteAddress ?? connectionAddress;
  const corsOrigins = deps.corsOrigins ?? [];
  /** A request without credentials from a trusted network, not sent by an unlisted web page. */
  const trusted = (c: Context): boolean => {
    if (networks.length === 0) return false;
    // A page on any web site can make a browser on the LAN send requests here; a browser
    // names the page's origin, so only listed origins borrow the network's trust.
    const origin = c.req.header("origin");
    if (origin !== undefined && !originAllowed(corsOrigins, origin)) return false;
    const address = remoteAddress(c);
    return address !== null && networks.some((n) => networkContains(n, address));
  };
  return async (c, next) => {
    const path = c.req.path;
    if (isPublic(c.req.method, path)) return await next();
    const client = isClientRoute(path);
    const given = presentedToken(c.req.raw.headers);
    if (given === null) {
      if (client && trusted(c)) return await next();
      throw new ApiError(401, "unauthorized", client ? CLIENT_401 : NODE_401, {
        headers: { "WWW-Authenticate": 'Bearer realm="mycoswarm"' },
      });
    }
    // The swarm token (peers' hops, the CLI: most requests) without hashing: equal lengths
    // compared in constant time.
    const bytes = encoder.encode(given);
    if (bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes)) {
      return await next();
    }
    // Hashes have one length, so each comparison takes the same time whatever was sent.
    const hash = encoder.encode(await sha256Hex(given));
    if (timingSafeEqual(hash, encoder.encode(await tokenHash))) return await next();
    let isKey = false;
    for (const key of await deps.clientKeys?.() ?? []) {
      isKey = timingSafeEqual(hash, encoder.encode(key.sha256)) || isKey;
    }
    if (isKey && client) return await next();
    if (isKey) {
      throw new ApiError(
        403,
        "forbidden",
        "Client keys open only the Ollama (/api/) and OpenAI (/v1/) routes; " +
          "this route needs the swarm token",
      );
    }
    throw new ApiError(403, "forbidden", client ? CLIENT_403 : NODE_403);
  };
}

const NODE_401 = "This route needs the swarm token: send X-Swarm-Token or Authorization: Bearer";
const CLIENT_401 = "This route needs an API key: send Authorization: Bearer <key>, with a key " +
  "from `mycoswarm apikey create NAME` (or the swarm token, also as X-Swarm-Token)";
const NODE_403 = "Wrong swarm token (see `mycoswarm token`)";
const CLIENT_403 = "Unknown or revoked API key (see `mycoswarm apikey list`)";

function network(text: string): IpNetwork {
  const parsed = parseCidr(text);
  if (typeof parsed === "string") throw createError("config_invalid", `trusted network ${parsed}`);
  return parsed;
}

async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}
