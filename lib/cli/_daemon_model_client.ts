/**
 * A model client whose answers come through the local daemon: each chat is an `inference`
 * task the daemon routes to the best node of the swarm, streamed back over SSE. Models are
 * chosen among every node's models. Everything else (embeddings, the model list for
 * `/model`) still asks this machine's model server, and degrades as it does without one.
 */

import type { Config } from "../config/mod.ts";
import { createError, ERROR_CODES, type ErrorCode, isMycoError } from "../core/mod.ts";
import {
  type ChatAnswer,
  type ChatRequest,
  findInstalled,
  isEmbeddingModel,
  ModelClient,
  type ModelInfo,
  pickRoles,
} from "../llm/mod.ts";
import { cancelTask, NodeHttpError, openTaskStream, postTask } from "../orchestrator/mod.ts";
import { type Daemon, daemonPeers, findDaemon } from "./_daemon.ts";
import { modelClientFor } from "./_setup.ts";
import type { CliContext } from "./context.ts";

/** Longest an answer may take: as long as the API allows (an answer alone has no limit). */
const ANSWER_TIMEOUT_SECONDS = 3600;

/** How long the swarm's model list is reused. */
const SWARM_MODELS_TTL_MS = 30_000;

/** Chat through the daemon; the rest through this machine's model server. */
export class DaemonModelClient extends ModelClient {
  readonly daemon: Daemon;
  /** The node that wrote the last answer. */
  lastNode: string | null = null;
  readonly #llm: Config["llm"];
  readonly #ctx: CliContext;
  readonly #onNote: (note: string) => void;
  #models: { at: number; list: Promise<ModelInfo[]> } | null = null;

  constructor(config: Config, ctx: CliContext, daemon: Daemon, onNote: (note: string) => void) {
    super(config.llm, ctx.fetch);
    this.daemon = daemon;
    this.#llm = config.llm;
    this.#ctx = ctx;
    this.#onNote = onNote;
  }

  /**
   * Every model of the swarm: the daemon's node first (with sizes), then its live peers'.
   * Read again when older than {@linkcode SWARM_MODELS_TTL_MS}: the daemon's own chat API
   * lives for days, while nodes come and go and models are pulled.
   */
  swarmModels(): Promise<ModelInfo[]> {
    const now = this.#ctx.clock.now();
    if (this.#models !== null && now - this.#models.at < SWARM_MODELS_TTL_MS) {
      return this.#models.list;
    }
    const list = (async () => {
      const own: ModelInfo[] = this.daemon.identity.models.map((m) => ({
        name: m.name,
        ...(m.size_bytes === undefined ? {} : { size_bytes: m.size_bytes }),
      }));
      const models = new Map(own.map((m) => [m.name, m]));
      for (const peer of await daemonPeers(this.daemon).catch(() => [])) {
        if (peer.state !== "alive" && peer.state !== "suspect") continue;
        for (const name of peer.available_models) if (!models.has(name)) models.set(name, { name });
      }
      return [...models.values()];
    })();
    this.#models = { at: now, list };
    return list;
  }

  /** The chat model, as {@linkcode ModelClient.chatModel} picks it, among the swarm's models. */
  override async chatModel(requested?: string | null): Promise<string> {
    const models = await this.swarmModels();
    const wanted = requested ?? this.#llm.chatModel;
    const hint = models.length === 0
      ? "No node has a model. Try `ollama pull llama3.2:3b` on one."
      : `On the swarm: ${models.map((m) => m.name).join(", ")}`;
    if (wanted) {
      const found = findInstalled(wanted, models);
      const source = wanted === this.#llm.chatModel && this.#llm.chatModelSource
        ? ` (from ${this.#llm.chatModelSource})`
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

  /** Streams an answer from whichever node the daemon picks. */
  override async chat(request: ChatRequest): Promise<ChatAnswer> {
    const call = { fetch: this.#ctx.fetch, token: this.daemon.token, signal: request.signal };
    const payload = {
      model: request.model,
      messages: request.messages,
      ...(request.instructions ? { system: request.instructions } : {}),
      temperature: request.temperature ?? 0.7,
      ...(request.maxOutputTokens ? { max_tokens: request.maxOutputTokens } : {}),
    };
    let text = "";
    let taskId: string | null = null;
    try {
      const accepted = await postTask(this.daemon.url, {
        task_type: "inference",
        payload,
        timeout_seconds: ANSWER_TIMEOUT_SECONDS,
      }, call);
      taskId = accepted.task_id;
      if (accepted.note) this.#onNote(accepted.note);
      for await (const event of await openTaskStream(this.daemon.url, accepted.task_id, call)) {
        if (typeof event.token === "string" && event.token !== "") {
          text += event.token;
          request.onText?.(event.token);
        }
        if (!event.done) continue;
        this.lastNode = event.node_id ?? null;
        if (typeof event.error === "string") throw createError("model_failed", event.error);
        const result = (event.result ?? {}) as { eval_count?: number; prompt_eval_count?: number };
        return {
          text,
          model: event.model ?? request.model,
          usage: {
            inputTokens: result.prompt_eval_count ?? null,
            outputTokens: result.eval_count ?? null,
          },
          aborted: false,
        };
      }
    } catch (error) {
      if (request.signal?.aborted) {
        // Nobody waits for the rest: stop the task, wherever it runs.
        if (taskId !== null) await cancelTask(this.daemon.url, taskId, call);
        return { text, model: request.model, usage: NO_USAGE, aborted: true };
      }
      throw asMycoError(error, this.daemon.url, text !== "");
    }
    throw createError(
      "model_failed",
      `The connection to the daemon on ${this.daemon.url} closed mid-answer; the partial answer was kept`,
    );
  }
}

const NO_USAGE = { inputTokens: null, outputTokens: null };

function asMycoError(error: unknown, url: string, midAnswer: boolean) {
  if (isMycoError(error)) return error;
  if (error instanceof NodeHttpError) {
    const code = (error.code in ERROR_CODES ? error.code : "model_failed") as ErrorCode;
    return createError(code, error.message);
  }
  const why = error instanceof Error ? error.message : String(error);
  return createError(
    "model_failed",
    midAnswer
      ? `The connection to the daemon on ${url} dropped mid-answer; the partial answer was kept`
      : `The daemon on ${url} failed: ${why}`,
    { cause: error },
  );
}

/**
 * The model client for `ask` and `chat`: through the daemon when one runs here with this
 * home's token, else straight to this machine's model server (a daemon that refuses the
 * token is said once).
 */
export async function answeringClient(config: Config, ctx: CliContext): Promise<ModelClient> {
  const found = await findDaemon(config, ctx);
  if (found.daemon !== null) {
    return new DaemonModelClient(config, ctx, found.daemon, (note) => {
      ctx.stderr.write(`note: ${note}\n`);
    });
  }
  if (found.running) ctx.stderr.write(`warning: ${found.problem}; answering without it\n`);
  return modelClientFor(config, ctx);
}
