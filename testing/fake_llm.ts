/**
 * The project's test model server: real HTTP on loopback, speaking Ollama's native API and the
 * OpenAI-compatible API in their documented wire formats, with deterministic replies and
 * embeddings. Latency, failures and dropped connections are injectable.
 *
 * @example
 * ```ts
 * await using llm = await startFakeLlm();
 * const res = await fetch(`${llm.url}/api/chat`, {
 *   method: "POST",
 *   body: JSON.stringify({ model: "llama3.2:3b", messages: [{ role: "user", content: "hi" }], stream: false }),
 * });
 * (await res.json()).message.content; // "You said: hi. (model llama3.2:3b, 1 messages)"
 * ```
 *
 * @module
 */

import { DEFAULT_MODELS } from "./_fake_llm_models.ts";
import {
  ollamaChat,
  ollamaEmbed,
  ollamaEmbeddings,
  ollamaError,
  ollamaTags,
  ollamaVersion,
} from "./_fake_llm_ollama.ts";
import { ollamaGenerate } from "./_fake_llm_ollama_generate.ts";
import { ollamaPs, ollamaPull, ollamaShow } from "./_fake_llm_ollama_models.ts";
import {
  openaiCompletions,
  openaiEmbeddings,
  openaiError,
  openaiModel,
  openaiModels,
} from "./_fake_llm_openai.ts";
import { openaiChat } from "./_fake_llm_openai_chat.ts";
import { DroppedStream, modelDelay, sleep } from "./_fake_llm_stream.ts";
import { asRecord } from "./_fake_llm_text.ts";
import type {
  FakeLlm,
  FakeLlmOptions,
  LoadedModel,
  RecordedRequest,
  RouteContext,
} from "./_fake_llm_types.ts";

export type {
  FakeLlm,
  FakeLlmOptions,
  FakeMessage,
  FakeModel,
  LoadedModel,
  RecordedRequest,
} from "./_fake_llm_types.ts";
export { defaultReply, fakeEmbedding, splitTokens } from "./_fake_llm_text.ts";
export { DEFAULT_MODELS, guessModel } from "./_fake_llm_models.ts";
export { FAKE_OLLAMA_VERSION } from "./_fake_llm_ollama.ts";
export { sampleSchema, spacedJson } from "./_fake_llm_json.ts";

type Api = "ollama" | "openai";

/**
 * Makes an embedding route take `embedDelayMs` plus the model's `modelDelayMs`, like a
 * CPU-bound embedding model.
 */
function slowEmbed(handler: Route["handler"]): Route["handler"] {
  return async (body, ctx) => {
    const model = asRecord(body).model;
    const delay = (ctx.options.embedDelayMs ?? 0) +
      (typeof model === "string" ? modelDelay(ctx.options, model) : 0);
    await sleep(delay, ctx.signal);
    return handler(body, ctx);
  };
}

interface Route {
  api: Api;
  method: string;
  /** The exact path, or a prefix ending in "/" when `prefix` is set. */
  path: string;
  prefix?: true;
  handler: (body: unknown, ctx: RouteContext) => Response | Promise<Response>;
  /** Generation and embedding routes: they take a JSON body and obey `failStatus`. */
  model?: true;
  /** Other routes that take a JSON body. */
  json?: true;
}

const ROUTES: readonly Route[] = [
  { api: "ollama", method: "GET", path: "/", handler: () => new Response("Ollama is running") },
  {
    api: "ollama",
    method: "HEAD",
    path: "/",
    // Ollama (gin) answers HEAD / with the GET headers and no body.
    handler: () => new Response(null, { headers: { "content-type": "text/plain; charset=utf-8" } }),
  },
  { api: "ollama", method: "GET", path: "/api/tags", handler: ollamaTags },
  { api: "ollama", method: "GET", path: "/api/version", handler: ollamaVersion },
  { api: "ollama", method: "GET", path: "/api/ps", handler: ollamaPs },
  { api: "ollama", method: "POST", path: "/api/show", handler: ollamaShow, json: true },
  { api: "ollama", method: "POST", path: "/api/pull", handler: ollamaPull, json: true },
  { api: "ollama", method: "POST", path: "/api/chat", handler: ollamaChat, model: true },
  { api: "ollama", method: "POST", path: "/api/generate", handler: ollamaGenerate, model: true },
  {
    api: "ollama",
    method: "POST",
    path: "/api/embed",
    handler: slowEmbed(ollamaEmbed),
    model: true,
  },
  {
    api: "ollama",
    method: "POST",
    path: "/api/embeddings",
    handler: slowEmbed(ollamaEmbeddings),
    model: true,
  },
  { api: "openai", method: "GET", path: "/v1/models", handler: openaiModels },
  { api: "openai", method: "GET", path: "/v1/models/", prefix: true, handler: openaiModel },
  { api: "openai", method: "POST", path: "/v1/chat/completions", handler: openaiChat, model: true },
  {
    api: "openai",
    method: "POST",
    path: "/v1/completions",
    handler: openaiCompletions,
    model: true,
  },
  {
    api: "openai",
    method: "POST",
    path: "/v1/embeddings",
    handler: slowEmbed(openaiEmbeddings),
    model: true,
  },
];

/**
 * Starts a fake model server.
 *
 * @param options behaviour (see {@linkcode FakeLlmOptions}) plus where to listen: `port`
 *   (@default 0, an ephemeral port) and `hostname` (@default "127.0.0.1")
 * @returns the running server; close it with `await using` or `close()`
 */
export async function startFakeLlm(
  options: FakeLlmOptions & { port?: number; hostname?: string } = {},
): Promise<FakeLlm> {
  const { port = 0, hostname = "127.0.0.1", ...behaviour } = options;
  const live: FakeLlmOptions = {
    ...behaviour,
    flavor: behaviour.flavor ?? "ollama",
    models: behaviour.models ?? DEFAULT_MODELS.map((model) => ({ ...model })),
  };
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  let ids = 0;
  let calls = 0;
  const ctx: RouteContext = {
    options: live,
    signal: closing.signal,
    nextId: (prefix = "chatcmpl") => `${prefix}-fake-${++ids}`,
    nextCallId: () => `call_${String(++calls).padStart(8, "0")}`,
    loaded: new Map<string, LoadedModel>(),
    path: "/",
  };

  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    port,
    hostname,
    // Replaces Deno's own "Listening on" line, which would clutter test output.
    onListen: listening.resolve,
    onError(error) {
      // Errors after close, and drops on purpose, are expected; anything else is a bug here.
      if (!(error instanceof DroppedStream) && !closing.signal.aborted) {
        console.error("fake-llm: request failed:", error);
      }
      return Response.json({ error: "fake-llm internal error" }, { status: 500 });
    },
  }, (request) => handle(request, ctx, requests));

  const { port: actualPort } = await listening.promise;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      closing.abort(new DOMException("fake-llm closed", "AbortError"));
      await server.shutdown();
    })();
    return closed;
  };
  return {
    url: `http://${host}:${actualPort}`,
    port: actualPort,
    options: live,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function handle(
  request: Request,
  shared: RouteContext,
  requests: RecordedRequest[],
): Promise<Response> {
  const path = new URL(request.url).pathname;
  const ctx: RouteContext = { ...shared, path };
  const raw = await request.text();
  const parsed = parseJson(raw);
  requests.push({
    method: request.method,
    path,
    body: raw === "" ? undefined : parsed.ok ? parsed.value : raw,
    headers: Object.fromEntries(request.headers),
  });

  const flavor = ctx.options.flavor ?? "ollama";
  const route = ROUTES.find((r) =>
    (r.prefix ? path.startsWith(r.path) && path.length > r.path.length : r.path === path) &&
    r.method === request.method && (r.api === "openai" || flavor === "ollama")
  );
  if (!route) return notFound(flavor);
  if (!route.model && !route.json) return route.handler(undefined, ctx);

  const failStatus = route.model ? takeFailure(ctx.options) : undefined;
  if (failStatus !== undefined) {
    return apiError(route.api, failStatus, `fake-llm: injected failure (HTTP ${failStatus})`);
  }
  if (!parsed.ok) {
    const message = raw === ""
      ? "missing request body"
      : `could not parse the JSON body of the request: ${parsed.error}`;
    return apiError(route.api, 400, message);
  }
  return route.handler(parsed.value, ctx);
}

/** Consumes one failure: `failCount` counts down, and none is left at 0. */
function takeFailure(options: FakeLlmOptions): number | undefined {
  if (options.failStatus === undefined) return undefined;
  if (options.failCount !== undefined) {
    if (options.failCount <= 0) return undefined;
    options.failCount -= 1;
  }
  return options.failStatus;
}

function apiError(api: Api, status: number, message: string): Response {
  return api === "ollama" ? ollamaError(status, message) : openaiError(status, message);
}

function notFound(flavor: Api): Response {
  // Ollama's router (gin) answers plain text; llama.cpp server answers a JSON error.
  if (flavor === "ollama") return new Response("404 page not found", { status: 404 });
  return Response.json(
    { error: { code: 404, message: "File Not Found", type: "not_found_error" } },
    { status: 404 },
  );
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
