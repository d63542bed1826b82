/**
 * Ollama's model management routes, shaped as ollama/ollama's server answers them:
 * `/api/show`, `/api/ps` (models used within their `keep_alive`) and `/api/pull`.
 */

import {
  completeModel,
  DEFAULT_MODELS,
  fakeDigest,
  findModel,
  guessModel,
  listedName,
  modelDetails,
  type ModelInfo,
  MODIFIED_AT,
} from "./_fake_llm_models.ts";
import { asRecord } from "./_fake_llm_text.ts";
import type { RouteContext } from "./_fake_llm_types.ts";

/** Ollama's default `keep_alive`: five minutes. */
const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000;
/** Ollama's default context when the request sets no `num_ctx`. */
const DEFAULT_NUM_CTX = 4096;
/** Go's time.Duration maximum, what Ollama makes of a negative keep_alive: about 292 years. */
const FOREVER_MS = 9_223_372_036_854;

/**
 * Parses `keep_alive` as Ollama's `api.Duration` does: a number of seconds, or a Go duration
 * string ("5m", "1h30m", "0"); negative means forever.
 *
 * @returns milliseconds, or an error message in Go's words for a bad string
 */
export function parseKeepAlive(value: unknown): number | { error: string } {
  if (value === undefined || value === null) return DEFAULT_KEEP_ALIVE_MS;
  if (typeof value === "number") return value < 0 ? FOREVER_MS : value * 1000;
  if (typeof value !== "string") {
    return {
      error: `Unsupported type: '${Array.isArray(value) ? "[]interface {}" : typeof value}'`,
    };
  }
  const ms = parseGoDuration(value);
  if (typeof ms !== "number") return ms;
  return ms < 0 ? FOREVER_MS : ms;
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

function parseGoDuration(text: string): number | { error: string } {
  if (text === "0") return 0;
  const sign = text.startsWith("-") ? -1 : 1;
  const rest = text.replace(/^[-+]/, "");
  const parts = [...rest.matchAll(/(\d+(?:\.\d*)?|\.\d+)([a-zµ]*)/g)];
  if (rest === "" || parts.map((p) => p[0]).join("") !== rest) {
    return { error: `time: invalid duration "${text}"` };
  }
  let total = 0;
  for (const [, amount, unit] of parts) {
    if (unit === "") return { error: `time: missing unit in duration "${text}"` };
    const scale = UNIT_MS[unit!];
    if (scale === undefined) return { error: `time: unknown unit "${unit}" in duration "${text}"` };
    total += Number(amount) * scale;
  }
  return sign * total;
}

/**
 * Marks a model as loaded for `/api/ps`, until its keep_alive runs out; keep_alive 0 unloads it.
 *
 * @returns an error message when `keep_alive` cannot be read
 */
export function touchModel(
  ctx: RouteContext,
  model: string,
  request: Record<string, unknown>,
): string | undefined {
  const keepAlive = parseKeepAlive(request.keep_alive);
  if (typeof keepAlive !== "number") return keepAlive.error;
  const name = listedName(model, "ollama");
  if (keepAlive === 0) {
    ctx.loaded.delete(name);
    return undefined;
  }
  const numCtx = asRecord(request.options).num_ctx;
  ctx.loaded.set(name, {
    name,
    expiresAt: Date.now() + keepAlive,
    contextLength: Number.isInteger(numCtx) && (numCtx as number) > 0
      ? numCtx as number
      : DEFAULT_NUM_CTX,
  });
  return undefined;
}

/** `GET /api/ps`: models used within their keep_alive, the longest-lived first. */
export async function ollamaPs(_body: unknown, ctx: RouteContext): Promise<Response> {
  const now = Date.now();
  const models = ctx.options.models ?? DEFAULT_MODELS;
  const running = [];
  for (const entry of [...ctx.loaded.values()].sort((a, b) => b.expiresAt - a.expiresAt)) {
    const model = findModel(models, entry.name, "ollama");
    if (!model || entry.expiresAt <= now) {
      ctx.loaded.delete(entry.name);
      continue;
    }
    running.push({
      name: entry.name,
      model: entry.name,
      size: model.size_bytes,
      digest: await fakeDigest(entry.name),
      details: modelDetails(model),
      expires_at: new Date(entry.expiresAt).toISOString(),
      size_vram: model.size_bytes,
      context_length: entry.contextLength,
    });
  }
  return Response.json({ models: running });
}

/** `POST /api/show`: template, parameters, details, model_info and capabilities. */
export async function ollamaShow(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  const requested = typeof request.model === "string" && request.model !== ""
    ? request.model
    : request.name;
  if (typeof requested !== "string" || requested === "") {
    return Response.json({ error: "model is required" }, { status: 400 });
  }
  const model = findModel(ctx.options.models ?? DEFAULT_MODELS, requested, "ollama");
  const shown = listedName(requested, "ollama");
  if (!model) return Response.json({ error: `model '${shown}' not found` }, { status: 404 });
  const template = templateFor(model);
  const parameters = parametersFor(model);
  return Response.json({
    modelfile: modelfile(shown, await fakeDigest(shown), template, parameters),
    parameters,
    template,
    details: modelDetails(model),
    model_info: modelInfo(model),
    ...(model.capabilities.includes("vision")
      ? { projector_info: { "clip.has_vision_encoder": true, "clip.vision.image_size": 896 } }
      : {}),
    capabilities: model.capabilities,
    modified_at: MODIFIED_AT,
  });
}

function templateFor(model: ModelInfo): string {
  if (!model.capabilities.includes("completion")) return "{{ .Prompt }}";
  const tools = model.capabilities.includes("tools")
    ? "{{- if .Tools }}<|tools|>{{ range .Tools }}{{ . }}{{ end }}{{ end }}"
    : "";
  return `{{- if .System }}<|system|>{{ .System }}{{ end }}${tools}` +
    `{{- range .Messages }}<|{{ .Role }}|>{{ .Content }}{{ end }}<|assistant|>`;
}

function parametersFor(model: ModelInfo): string {
  if (!model.capabilities.includes("completion")) {
    return `num_ctx                        ${model.contextLength}`;
  }
  return [
    `stop                           "<|end|>"`,
    `stop                           "<|user|>"`,
    `temperature                    0.7`,
  ].join("\n");
}

function modelfile(name: string, digest: string, template: string, parameters: string): string {
  const lines = parameters.split("\n").map((line) => {
    const [key, ...value] = line.split(/\s+/);
    return `PARAMETER ${key} ${value.join(" ")}`;
  });
  return [
    `# Modelfile generated by "ollama show"`,
    `# To build a new Modelfile based on this one, replace the FROM line with:`,
    `# FROM ${name}`,
    "",
    `FROM /root/.ollama/models/blobs/sha256-${digest}`,
    `TEMPLATE """${template}"""`,
    ...lines,
    "",
  ].join("\n");
}

/** GGUF metadata as `/api/show` lists it; `<family>.context_length` is what clients read. */
function modelInfo(model: ModelInfo): Record<string, unknown> {
  const family = model.family;
  const embedding = !model.capabilities.includes("completion");
  return {
    "general.architecture": family,
    "general.basename": model.name.split(":")[0]!.split("/").at(-1),
    "general.file_type": embedding ? 1 : 15,
    "general.parameter_count": parameterCount(model.parameter_size),
    "general.quantization_version": 2,
    [`${family}.attention.head_count`]: embedding ? 12 : 24,
    [`${family}.block_count`]: embedding ? 12 : 28,
    [`${family}.context_length`]: model.contextLength,
    [`${family}.embedding_length`]: embedding ? 768 : 3072,
    "tokenizer.ggml.model": embedding ? "bert" : "gpt2",
  };
}

function parameterCount(size: string): number {
  const match = size.match(/^([\d.]+)\s*([KMBT]?)/i);
  if (!match) return 0;
  const scale = { "": 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[match[2]!.toUpperCase()] ?? 1;
  return Math.round(Number(match[1]) * scale);
}

/**
 * `POST /api/pull`: NDJSON progress ("pulling manifest", "pulling <digest>" with total and
 * completed, "verifying sha256 digest", "writing manifest", "success"), or one
 * `{"status": "success"}` with `"stream": false`. The model then joins `/api/tags`.
 */
export async function ollamaPull(body: unknown, ctx: RouteContext): Promise<Response> {
  const request = asRecord(body);
  // ollama-js sends `name`; the docs say `model`; Ollama takes either.
  const requested = [request.model, request.name].find((v) => typeof v === "string" && v !== "");
  if (typeof requested !== "string") {
    return Response.json({ error: "invalid model name" }, { status: 400 });
  }
  const name = listedName(requested, "ollama");
  const registry = ctx.options.registry;
  const known = registry === undefined ||
    registry.some((entry) => listedName(entry, "ollama") === name);
  const stream = request.stream !== false;
  if (!known) {
    const error = "pull model manifest: file does not exist";
    if (!stream) return Response.json({ error }, { status: 500 });
    return ndjson([{ status: "pulling manifest" }, { error }]);
  }
  const models = ctx.options.models ??= DEFAULT_MODELS.map((model) => ({ ...model }));
  const model = findModel(models, name, "ollama") ?? completeModel(guessModel(requested));
  const blob = await fakeDigest(`${name}#model`);
  const template = await fakeDigest(`${name}#template`);
  const total = model.size_bytes;
  const progress: Record<string, unknown>[] = [{ status: "pulling manifest" }];
  for (const done of [0, 0.25, 0.5, 0.75, 1]) {
    // `completed` is left out until some of the blob has arrived, as Ollama omits zeros.
    const completed = Math.round(total * done);
    progress.push({
      status: `pulling ${blob.slice(0, 12)}`,
      digest: `sha256:${blob}`,
      total,
      ...(completed > 0 ? { completed } : {}),
    });
  }
  progress.push(
    {
      status: `pulling ${template.slice(0, 12)}`,
      digest: `sha256:${template}`,
      total: 1_462,
      completed: 1_462,
    },
    { status: "verifying sha256 digest" },
    { status: "writing manifest" },
    { status: "success" },
  );
  if (!findModel(models, name, "ollama")) models.push({ name: requested });
  if (!stream) return Response.json({ status: "success" });
  return ndjson(progress);
}

function ndjson(lines: unknown[]): Response {
  return new Response(lines.map((line) => JSON.stringify(line) + "\n").join(""), {
    headers: { "content-type": "application/x-ndjson" },
  });
}
