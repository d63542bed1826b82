/** One object for everything a caller needs from the model server. */

import { createError, type Fetch, redactUrl } from "../core/mod.ts";
import { type ChatAnswer, type ChatRequest, embedTexts, streamChat } from "./chat.ts";
import { DEFAULT_CONTEXT_TOKENS, showContext } from "./context_window.ts";
import { ollamaChat } from "./ollama_native.ts";
import { findInstalled, listServerModels, type ServerListing } from "./model_server.ts";
import type { ServerSettings } from "./model_server.ts";
import { isEmbeddingModel, pickRoles, type RoleOverrides } from "./roles.ts";
import type { ModelInfo, ModelRoles } from "./types.ts";

/** Server settings plus the models chosen in config or on the command line. */
export interface ModelClientSettings extends ServerSettings {
  /** The chat model asked for, or null to pick one from the installed models. */
  chatModel: string | null;
  /** Where `chatModel` was set ("--model", "MYCOSWARM_MODEL", ...), named in errors. */
  chatModelSource?: string | null;
  /** The small model for the intent gate, or null to pick one. */
  gateModel: string | null;
  /** The embedding model, or null to pick one. */
  embeddingModel: string | null;
  /**
   * `[llm] context_tokens`: the window every chat runs in (Ollama's `num_ctx`) and prompts are
   * budgeted for. @default null (each model's own, see {@linkcode ModelClient.contextWindow})
   */
  contextTokens?: number | null;
}

/**
 * Talks to one model server: lists its models once, resolves roles, checks
 * that requested models are installed, streams answers.
 */
export class ModelClient {
  readonly #settings: ModelClientSettings;
  readonly #fetch: Fetch;
  #listing: Promise<ServerListing> | null = null;
  readonly #windows = new Map<string, Promise<number>>();

  /** Connects lazily: the server is first contacted on the first call. */
  constructor(settings: ModelClientSettings, fetch: Fetch) {
    this.#settings = settings;
    this.#fetch = fetch;
  }

  /** The configured server URL as shown in messages: credentials masked (requests use the real one). */
  get url(): string {
    return redactUrl(this.#settings.url);
  }

  /** Connects (once) and lists the installed models. */
  listing(): Promise<ServerListing> {
    if (this.#listing === null) {
      this.#listing = listServerModels(this.#settings, this.#fetch);
      this.#listing.catch(() => (this.#listing = null)); // a later call may try again
    }
    return this.#listing;
  }

  /** Forgets the cached model list (after a model was pulled or removed). */
  refresh(): void {
    this.#listing = null;
    this.#windows.clear();
  }

  /** The model picked for each job, with config overrides applied. */
  async roles(): Promise<ModelRoles> {
    const { models } = await this.listing();
    const overrides: RoleOverrides = {
      chat: this.#settings.chatModel,
      gate: this.#settings.gateModel,
      embedding: this.#settings.embeddingModel,
    };
    return pickRoles(models, overrides);
  }

  /**
   * The chat model to use: `requested` if given, else the configured or picked one.
   *
   * @throws MycoError `model_not_found` listing the installed models, or
   * `no_model` when only embedding models are installed
   */
  async chatModel(requested?: string | null): Promise<string> {
    const { models } = await this.listing();
    const wanted = requested ?? this.#settings.chatModel;
    if (wanted) {
      const found = findInstalled(wanted, models);
      if (found === null || isEmbeddingModel(found)) {
        const source = wanted === this.#settings.chatModel && this.#settings.chatModelSource
          ? ` (from ${this.#settings.chatModelSource})`
          : "";
        throw createError(
          "model_not_found",
          found === null
            ? `Model '${wanted}'${source} is not installed on ${this.url}`
            : `Model '${wanted}'${source} is an embedding model and cannot chat`,
          { hint: installedHint(models) },
        );
      }
      return found.name;
    }
    const { chat } = pickRoles(models);
    if (chat === null) {
      throw createError("no_model", `No chat model is installed on ${this.url}`, {
        hint: installedHint(models) + "\nInstall one, e.g. `ollama pull llama3.2:3b`",
      });
    }
    return chat;
  }

  /**
   * Streams an answer: through Ollama's native `/api/chat` with `num_ctx` set to
   * {@linkcode contextWindow}, or an OpenAI-compatible server's `/v1/chat/completions`.
   * Text reaches `onText` as it comes.
   *
   * @throws MycoError `model_failed` (or `model_server_unreachable`, `model_not_found`) when
   * the server fails, even mid-stream; the text received so far went to `onText`
   */
  async chat(request: ChatRequest): Promise<ChatAnswer> {
    const { server } = await this.listing();
    if (server.kind !== "ollama") return streamChat(server, request, this.#fetch);
    const contextTokens = await this.contextWindow(request.model);
    return ollamaChat(server, request, { contextTokens }, this.#fetch);
  }

  /**
   * The context window `model` runs in, in tokens: the one chats ask Ollama for (`num_ctx`)
   * and prompts should be budgeted for. The configured `context_tokens` if set; else the
   * model's own from Ollama's `/api/show` (its Modelfile's `num_ctx`, or its trained length
   * capped at 8192, see `CONTEXT_TOKENS_CAP`), asked once per model; else 4096. Never throws.
   */
  async contextWindow(model: string): Promise<number> {
    if (this.#settings.contextTokens) return this.#settings.contextTokens;
    // No server here (a node answering through the swarm): the default, and never a throw.
    const server = await this.listing().then((l) => l.server, () => null);
    if (server?.kind !== "ollama") return DEFAULT_CONTEXT_TOKENS;
    let window = this.#windows.get(model);
    if (window === undefined) {
      const timeoutMs = this.#settings.probeTimeoutMs;
      const asked = showContext(server, model, { timeoutMs }, this.#fetch);
      window = asked.then((found) => typeof found === "number" ? found : DEFAULT_CONTEXT_TOKENS);
      this.#windows.set(model, window);
      // A failure (not an absent route or model) is asked again next time.
      const mine = window;
      asked.then((found) => {
        if (found === null && this.#windows.get(model) === mine) this.#windows.delete(model);
      });
    }
    return window;
  }

  /**
   * One whole answer, not streamed: for reflection, classification and other
   * work nobody watches. Fails after `timeoutMs`.
   */
  async complete(request: {
    model: string;
    instructions: string;
    prompt: string;
    /** @default 0.3 */
    temperature?: number;
    maxOutputTokens?: number;
    /** @default 60000 */
    timeoutMs?: number;
    signal?: AbortSignal;
  }): Promise<string> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs ?? 60_000);
    const stop = () => controller.abort();
    request.signal?.addEventListener("abort", stop, { once: true });
    let answer;
    try {
      answer = await this.chat({
        model: request.model,
        instructions: request.instructions,
        messages: [{ role: "user", content: request.prompt }],
        temperature: request.temperature ?? 0.3,
        ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
        signal: controller.signal,
      });
    } finally {
      clearTimeout(timer); // no timer outlives the call
      request.signal?.removeEventListener("abort", stop);
    }
    if (answer.aborted) {
      throw createError(
        "model_failed",
        `The model ${request.model} did not answer within ${
          (request.timeoutMs ?? 60_000) / 1000
        } s`,
      );
    }
    return answer.text;
  }

  /** Embeds texts with the embedding model (configured or picked). */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    const [{ server }, { embedding }] = await Promise.all([this.listing(), this.roles()]);
    if (embedding === null) {
      throw createError("no_model", `No embedding model is installed on ${this.url}`, {
        hint: "Install one: `ollama pull nomic-embed-text`",
      });
    }
    return embedTexts(server, { model: embedding, texts, signal }, this.#fetch);
  }
}

function installedHint(models: readonly ModelInfo[]): string {
  if (models.length === 0) return "No models are installed. Try `ollama pull llama3.2:3b`.";
  return `Installed: ${models.map((m) => m.name).join(", ")}`;
}
