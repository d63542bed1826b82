/** Finds the model server, tells Ollama from plain OpenAI-compatible, lists its models. */

import { createError, type Fetch, isMycoError, redactUrl } from "../core/mod.ts";
import type { ModelInfo, ModelServer, ServerKind } from "./types.ts";

/** What to connect to; comes from the config's `llm` section. */
export interface ServerSettings {
  /** Base URL of the model server (Ollama root, or an OpenAI-compatible base). */
  url: string;
  /** Which API to speak; "auto" probes for Ollama first. */
  kind: "auto" | ServerKind;
  /** Where `url` came from, named in error messages. */
  urlSource: string;
  /** Bearer token for OpenAI-compatible servers that want one. */
  apiKey: string | null;
  /** Budget for listing models and probing, in ms. */
  probeTimeoutMs: number;
  /**
   * How long Ollama keeps a model loaded after a call: a duration ("5m", "1h") or seconds
   * (negative: forever). @default null (Ollama's own default, 5 minutes)
   */
  keepAlive?: string | number | null;
}

/** A reachable server and what it has installed. */
export interface ServerListing {
  /** The server as found, so later calls skip the probe. */
  server: ModelServer;
  /** What it has installed, for picking roles. */
  models: ModelInfo[];
}

/**
 * Connects to the model server and lists its models.
 *
 * @throws MycoError `model_server_unreachable` naming the URL and how to fix it
 */
export async function listServerModels(
  settings: ServerSettings,
  fetch: Fetch,
): Promise<ServerListing> {
  const get = (path: string) => getJson(settings, fetch, path);
  const ollamaRoot = settings.url.replace(/\/v1$/, "");
  if (settings.kind !== "openai") {
    const tags = await get(`${ollamaRoot}/api/tags`).catch((error) => {
      if (settings.kind === "ollama" || !isMycoError(error, "model_failed")) throw error;
      return null; // "auto" and not Ollama: try the OpenAI route below
    });
    if (tags !== null && Array.isArray(tags.models)) {
      const version = await get(`${ollamaRoot}/api/version`).catch(() => null);
      return {
        server: makeServer(settings, "ollama", `${ollamaRoot}/v1`, version?.version),
        models: tags.models.map(fromOllamaTag).filter((m: ModelInfo | null) => m !== null),
      };
    }
    if (settings.kind === "ollama") {
      throw createError(
        "model_failed",
        `${
          redactUrl(ollamaRoot)
        }/api/tags did not answer like Ollama; for another OpenAI-compatible ` +
          "server set MYCOSWARM_LLM_URL instead of OLLAMA_HOST",
      );
    }
  }
  const apiBase = /\/v1$/.test(settings.url) ? settings.url : `${settings.url}/v1`;
  const list = await get(`${apiBase}/models`);
  if (!Array.isArray(list?.data)) {
    throw createError("model_failed", `${redactUrl(apiBase)}/models did not return a model list`);
  }
  const models = list.data
    .map((entry: { id?: unknown }) => (typeof entry?.id === "string" ? { name: entry.id } : null))
    .filter((m: ModelInfo | null) => m !== null);
  return { server: makeServer(settings, "openai", apiBase, undefined), models };
}

/**
 * Finds `wanted` among the installed models, accepting Ollama's implicit
 * `:latest` tag both ways ("llama3.2" ↔ "llama3.2:latest").
 */
export function findInstalled(wanted: string, models: readonly ModelInfo[]): ModelInfo | null {
  const bare = (name: string) => name.replace(/:latest$/, "");
  return models.find((m) => m.name === wanted) ??
    models.find((m) => bare(m.name) === bare(wanted)) ?? null;
}

/** The message for a server we could not reach: what was tried (credentials masked) and how to fix it. */
export function unreachableMessage(settings: Pick<ServerSettings, "url" | "urlSource">): string {
  const from = settings.urlSource === "default" ? "the default" : `from ${settings.urlSource}`;
  return `No model server at ${
    redactUrl(settings.url)
  } (${from}): start Ollama (\`ollama serve\`), ` +
    `or set OLLAMA_HOST (Ollama elsewhere) or MYCOSWARM_LLM_URL (any OpenAI-compatible server)`;
}

function makeServer(
  settings: ServerSettings,
  kind: ServerKind,
  apiBase: string,
  version: unknown,
): ModelServer {
  return {
    url: settings.url,
    kind,
    apiBase,
    urlSource: settings.urlSource,
    apiKey: settings.apiKey,
    version: typeof version === "string" ? version : null,
    keepAlive: settings.keepAlive ?? null,
  };
}

function fromOllamaTag(tag: unknown): ModelInfo | null {
  if (typeof tag !== "object" || tag === null) return null;
  const { name, model, size, details } = tag as Record<string, unknown>;
  const id = typeof name === "string" ? name : typeof model === "string" ? model : null;
  if (id === null) return null;
  const info: ModelInfo = { name: id };
  if (typeof size === "number") info.size_bytes = size;
  const d = (details ?? {}) as Record<string, unknown>;
  if (typeof d.family === "string") info.family = d.family;
  if (typeof d.parameter_size === "string") info.parameter_size = d.parameter_size;
  return info;
}

// deno-lint-ignore no-explicit-any
async function getJson(settings: ServerSettings, fetch: Fetch, url: string): Promise<any> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers,
      signal: AbortSignal.timeout(settings.probeTimeoutMs),
    });
  } catch (cause) {
    throw createError("model_server_unreachable", unreachableMessage(settings), { cause });
  }
  const body = await response.text().catch(() => "");
  if (response.status === 401 || response.status === 403) {
    throw createError(
      "model_failed",
      `${
        redactUrl(url)
      } refused us (HTTP ${response.status}): set MYCOSWARM_LLM_API_KEY or llm.api_key`,
    );
  }
  if (!response.ok) {
    const hint = response.status === 404 && url.endsWith("/api/tags")
      ? ": is this an Ollama server? For another OpenAI-compatible server set MYCOSWARM_LLM_URL"
      : "";
    throw createError("model_failed", `${redactUrl(url)} answered HTTP ${response.status}${hint}`);
  }
  try {
    return JSON.parse(body);
  } catch {
    throw createError("model_failed", `${redactUrl(url)} did not answer JSON`);
  }
}
