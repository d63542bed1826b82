/**
 * The `[api]` settings: who may use the Ollama- and OpenAI-compatible client routes without
 * a key, which browser origins may call them, and what API clients' turns may do.
 */

import { createError, parseCidr } from "../core/mod.ts";

/** How the daemon's client routes (`/`, `/api/`, `/v1/`) treat their callers. */
export interface ApiSettings {
  /**
   * `MYCOSWARM_API_TRUSTED_NETWORKS` (comma-separated) or `[api] trusted_networks`: CIDR
   * networks, canonical (`192.168.1.0/24`, `fd00::/8`), whose hosts may use the client routes
   * without a key. IPv4 networks also hold the IPv4-mapped IPv6 form of their addresses.
   * @default []
   */
  readonly trustedNetworks: readonly string[];
  /**
   * `MYCOSWARM_API_CORS_ORIGINS` or `[api] cors_origins`: browser origins
   * (`http://localhost:3000`) allowed to call the client routes; `*` allows any.
   * @default []
   */
  readonly corsOrigins: readonly string[];
  /** `MYCOSWARM_API_WEB` or `[api] web`: API clients' messages may search the web. @default false */
  readonly web: boolean;
  /** `MYCOSWARM_API_PULL_NODE` or `[api] pull_node`: the node (id or hostname) that pulls models. */
  readonly pullNode: string | null;
}

/** The `[api]` section as the file schema checked it. */
export type ApiFileSection = Readonly<Record<string, string | number | boolean | string[]>>;

/**
 * Reads the API settings, environment over file.
 *
 * @param where the config file's path, for messages
 * @throws MycoError `config_invalid` naming the variable or field: a malformed network, an
 *   origin that is not `scheme://host[:port]`, a web value that is not yes/no
 */
export function readApiSettings(
  env: Readonly<Record<string, string>>,
  file: ApiFileSection,
  where: string,
): ApiSettings {
  const list = (variable: string, key: string): [string[], string] => {
    const fromEnv = env[variable];
    if (fromEnv !== undefined) return [splitList(fromEnv), variable];
    const value = file[key];
    return [Array.isArray(value) ? value : [], `${where}: field 'api.${key}'`];
  };
  const trustedNetworks = networks(...list("MYCOSWARM_API_TRUSTED_NETWORKS", "trusted_networks"));
  const corsOrigins = origins(...list("MYCOSWARM_API_CORS_ORIGINS", "cors_origins"));
  const web = env.MYCOSWARM_API_WEB !== undefined && env.MYCOSWARM_API_WEB !== ""
    ? yesNo(env.MYCOSWARM_API_WEB, "MYCOSWARM_API_WEB")
    : file.web === true;
  const pull = env.MYCOSWARM_API_PULL_NODE ||
    (typeof file.pull_node === "string" ? file.pull_node : "");
  return { trustedNetworks, corsOrigins, web, pullNode: pull.trim() || null };
}

function networks(values: readonly string[], source: string): string[] {
  const out: string[] = [];
  for (const value of values) {
    const network = parseCidr(value);
    if (typeof network === "string") throw createError("config_invalid", `${source}: ${network}`);
    if (!out.includes(network.text)) out.push(network.text);
  }
  return out;
}

function origins(values: readonly string[], source: string): string[] {
  const out: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    const origin = value === "*" ? "*" : originOf(value);
    if (origin === null) {
      throw createError(
        "config_invalid",
        `${source}: '${raw}' is not an origin (scheme://host[:port] with no path, ` +
          'e.g. "http://localhost:3000", or "*")',
      );
    }
    if (!out.includes(origin)) out.push(origin);
  }
  return out;
}

/** `value` as the browser sends it in `Origin`, or null when it is not just an origin. */
function originOf(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const bare = url.pathname === "/" && !value.endsWith("/") && url.search === "" &&
    url.hash === "" && url.username === "" && url.password === "";
  if (!bare || (url.protocol !== "http:" && url.protocol !== "https:")) return null;
  return url.origin;
}

function splitList(value: string): string[] {
  return value.split(",").map((v) => v.trim()).filter((v) => v !== "");
}

function yesNo(value: string, source: string): boolean {
  const text = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off"].includes(text)) return false;
  throw createError("config_invalid", `${source}=${JSON.stringify(value)} must be 1 or 0`);
}
