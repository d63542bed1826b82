/**
 * A model client that answers through the swarm: each chat is an `inference` task given to
 * a {@linkcode RunTask} — the daemon's router in process, or the local daemon over HTTP for
 * the CLI — which sends it to the node that fits, and streams the answer back. Models are
 * chosen among every node's. The rest (embeddings, one-shot completions for the gate and
 * reflections, the model listing) still asks this machine's model server, and degrades as
 * it does without one.
 *
 * @module
 */

import { type Clock, createError, ERROR_CODES, type ErrorCode, type Fetch } from "../core/mod.ts";
import { isMycoError } from "../core/mod.ts";
import {
  type ChatAnswer,
  type ChatRequest,
  findInstalled,
  isEmbeddingModel,
  ModelClient,
  type ModelClientSettings,
  type ModelInfo,
  pickRoles,
} from "../llm/mod.ts";
import type { InferenceResult } from "./inference_handler.ts";
import { NodeHttpError } from "./node_client.ts";
import type { RunTask } from "./run_task.ts";

/** What {@linkcode SwarmModelClient} answers through. */
export interface SwarmModelClientOptions {
  /** Runs the `inference` tasks. */
  runTask: RunTask;
  /** The swarm's models now (this node's first, with sizes). */
  models: () => Promise<ModelInfo[]>;
  clock: Clock;
  /** Named in errors: "the swarm", "the daemon on http://127.0.0.1:7890". @default "the swarm" */
  via?: string;
  /** Hears routing notes, e.g. that no peer fits and the answer runs here degraded. */
  onNote?: (note: string) => void;
  /**
   * How long a model list is reused: a daemon's chat API lives for days, while nodes come
   * and go and models are pulled. @default 30000
   */
  modelsTtlMs?: number;
  /** Longest an answer may take: as long as the node API allows. @default 3600 */
  answerTimeoutSeconds?: number;
}

const NO_USAGE = { inputTokens: null, outputTokens: null };

/** Chat through the swarm; the rest through this machine's model server. */
export class SwarmModelClient extends ModelClient {
  /** The node that wrote the last answer. */
  lastNode: string | null = null;
  readonly #settings: ModelClientSettings;
  readonly #options: SwarmModelClientOptions;
  #models: { at: number; list: Promise<ModelInfo[]> } | null = null;

  /** Embeds and lists local models via `settings` and `fetch`; chats via `options.runTask`. */
  constructor(settings: ModelClientSettings, fetch: Fetch, options: SwarmModelClientOptions) {
    super(settings, fetch);
    this.#settings = settings;
    this.#options = options;
  }

  /** Every model of the swarm, read again when older than `modelsTtlMs`. */
  swarmModels(): Promise<ModelInfo[]> {
    const now = this.#options.clock.now();
    const ttl = this.#options.modelsTtlMs ?? 30_000;
    if (this.#models !== null && now - this.#models.at < ttl) return this.#models.list;
    const list = this.#options.models();
    list.catch(() => (this.#models = null)); // a later call may try again
    this.#models = { at: now, list };
    return list;
  }

  /** The chat model, as {@linkcode ModelClient.chatModel} picks it, among the swarm's models. */
  override async chatModel(requested?: string | null): Promise<string> {
    const models = await this.swarmModels();
    const wanted = requested ?? this.#settings.chatModel;
    const hint = models.length === 0
      ? "No node has a model. Try `ollama pull llama3.2:3b` on one."
      : `On the swarm: ${models.map((m) => m.name).join(", ")}`;
    if (wanted) {
      const found = findInstalled(wanted, models);
      const source = wanted === this.#settings.chatModel && this.#settings.chatModelSource
        ? ` (from ${this.#settings.chatModelSource})`
        : "";
      if (found === null) {
        throw createError(
          "model_not_found",
          `Model '${wanted}'${source} is on no node of the swarm`,
          {
            hint,
          },
        );
      }
      if (isEmbeddingModel(found)) {
        throw createError(
          "model_not_found",
          `Model '${wanted}'${source} is an embedding model and cannot chat`,
        );
      }
      return found.name;
    }
    const { chat } = pickRoles(models);
    if (chat === null) {
      throw createError("no_model", "No node of the swarm has a chat model", { hint });
    }
    return chat;
  }

  /** Streams an answer from whichever node the swarm picks. */
  override async chat(request: ChatRequest): Promise<ChatAnswer> {
    const payload = {
      model: request.model,
      messages: request.messages,
      ...(request.instructions ? { system: request.instructions } : {}),
      temperature: request.temperature ?? 0.7,
      ...(request.maxOutputTokens ? { max_tokens: request.maxOutputTokens } : {}),
    };
    let text = "";
    try {
      const result = await this.#options.runTask("inference", payload, {
        timeoutSeconds: this.#options.answerTimeoutSeconds ?? 3600,
        signal: request.signal,
        failureCode: "model_failed",
        onToken: (piece) => {
          if (piece === "") return;
          text += piece;
          request.onText?.(piece);
        },
        onNote: this.#options.onNote,
        onNode: (node) => this.lastNode = node,
      }) as Partial<InferenceResult> | null;
      return {
        text: text === "" ? result?.response ?? "" : text,
        model: result?.model ?? request.model,
        usage: {
          inputTokens: result?.prompt_eval_count ?? null,
          outputTokens: result?.eval_count ?? null,
        },
        aborted: false,
      };
    } catch (error) {
      if (request.signal?.aborted) {
        return { text, model: request.model, usage: NO_USAGE, aborted: true };
      }
      throw this.#failure(error, text !== "");
    }
  }

  #failure(error: unknown, midAnswer: boolean) {
    if (isMycoError(error)) return error;
    if (error instanceof NodeHttpError) {
      const code = (error.code in ERROR_CODES ? error.code : "model_failed") as ErrorCode;
      return createError(code, error.message);
    }
    const via = this.#options.via ?? "the swarm";
    const why = error instanceof Error ? error.message : String(error);
    return createError(
      "model_failed",
      midAnswer
        ? `The connection to ${via} dropped mid-answer; the partial answer was kept`
        : `${via.replace(/^the/, "The")} failed: ${why}`,
      { cause: error },
    );
  }
}
