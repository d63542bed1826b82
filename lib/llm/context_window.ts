/**
 * The context window (`num_ctx`) a chat runs in, and the prompt is budgeted for: the configured
 * `[llm] context_tokens`, else what the model itself says through Ollama's `POST /api/show`.
 *
 * @module
 */

import type { Fetch } from "../core/mod.ts";
import { ollamaRoot } from "./ollama_native.ts";
import type { ModelServer } from "./types.ts";

/**
 * The window when nothing better is known: no `/api/show`, a server that failed, or an
 * OpenAI-compatible server (which sets its own). Ollama's own default since 0.6, so a prompt
 * budgeted for it is never cut.
 */
export const DEFAULT_CONTEXT_TOKENS = 4096;

/**
 * The largest window taken from a model's metadata without being asked. Models report their
 * trained maximum (llama3.2: 131072, qwen2.5: 32768), but Ollama allocates the KV cache for the
 * whole `num_ctx` when it loads the model: a 128K window costs many GB on top of the weights and
 * pushes a small node's model off the GPU. 8192 is what Home Assistant's Ollama integration
 * sends by default, and holds its ~26 KB entity prompt (~6,500 tokens) with room for the answer.
 * Set `[llm] context_tokens` for more.
 */
export const CONTEXT_TOKENS_CAP = 8192;

/**
 * The window for `model` from its `/api/show`: a `num_ctx` set in its Modelfile (someone chose
 * it for this model) as is, else its trained `<arch>.context_length` up to
 * {@linkcode CONTEXT_TOKENS_CAP}.
 *
 * @returns the window in tokens, or null when the answer names none
 */
export function contextFromShow(show: unknown): number | null {
  const { parameters, model_info: info } = (show ?? {}) as {
    parameters?: unknown;
    model_info?: Record<string, unknown>;
  };
  if (typeof parameters === "string") {
    const set = /^num_ctx\s+(\d+)\s*$/m.exec(parameters);
    if (set) return Number(set[1]);
  }
  if (typeof info !== "object" || info === null) return null;
  const arch = info["general.architecture"];
  const length = typeof arch === "string" ? info[`${arch}.context_length`] : undefined;
  const found = typeof length === "number"
    ? length
    // No architecture named: any "*.context_length" key is the model's.
    : Object.entries(info).find(([key, v]) => key.endsWith(".context_length") && v)?.[1];
  if (typeof found !== "number" || !Number.isInteger(found) || found <= 0) return null;
  return Math.min(found, CONTEXT_TOKENS_CAP);
}

/**
 * Asks `POST /api/show` for `model`'s window.
 *
 * @returns the window, `"absent"` when the server has no such route or model (an answer worth
 * keeping), or null when it failed (worth asking again)
 */
export async function showContext(
  server: ModelServer,
  model: string,
  options: { timeoutMs: number },
  fetch: Fetch,
): Promise<number | "absent" | null> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (server.apiKey) headers.authorization = `Bearer ${server.apiKey}`;
  try {
    const response = await fetch(`${ollamaRoot(server)}/api/show`, {
      method: "POST",
      headers,
      body: JSON.stringify({ model }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (response.status === 404 || response.status === 405) {
      await response.body?.cancel();
      return "absent";
    }
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return contextFromShow(await response.json()) ?? "absent";
  } catch {
    return null;
  }
}
