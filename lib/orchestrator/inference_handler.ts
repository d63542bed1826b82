/**
 * The `inference` task: one chat answer from the local model server, streamed token by
 * token to the task's watchers.
 *
 * Payload: `{model?, prompt? | messages?, system?, temperature?, max_tokens?}`.
 * Result: `{response, model, tokens_per_second, eval_count?, prompt_eval_count?,
 * duration_seconds}` (the token counts in Ollama's names, when the server gave them).
 *
 * @module
 */

import {
  type Clock,
  createError,
  invalidField,
  optionalInteger,
  optionalNumber,
  optionalString,
  requireOne,
} from "../core/mod.ts";
import type { ChatMessage, ModelClient } from "../llm/mod.ts";
import type { TaskHandler, TaskPayload } from "./types.ts";

const ROLES = new Set(["system", "user", "assistant"]);
/** Most messages in one conversation. */
const MAX_MESSAGES = 1000;
/** The Python mycoSwarm's `num_predict` default. */
const DEFAULT_MAX_TOKENS = 2048;

/** The inference result. */
export interface InferenceResult {
  response: string;
  model: string;
  tokens_per_second: number;
  /** Tokens generated, when the model server counts them. */
  eval_count?: number;
  /** Tokens of the prompt, when the server counted them. */
  prompt_eval_count?: number;
  duration_seconds: number;
}

function messagesOf(payload: TaskPayload): ChatMessage[] {
  requireOne(payload, ["prompt", "messages"], { parent: "payload" });
  const prompt = optionalString(payload, "prompt", { nonEmpty: true, parent: "payload" });
  if (prompt !== undefined) return [{ role: "user", content: prompt }];
  const raw = payload.messages;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_MESSAGES) {
    throw invalidField("payload.messages", `must be a list of 1 to ${MAX_MESSAGES}`);
  }
  return raw.map((m, i) => {
    const { role, content } = (m ?? {}) as { role?: unknown; content?: unknown };
    if (typeof role !== "string" || !ROLES.has(role) || typeof content !== "string") {
      throw invalidField(
        `payload.messages[${i}]`,
        "must be {role: system|user|assistant, content: string}",
      );
    }
    return { role: role as ChatMessage["role"], content };
  });
}

function settingsOf(payload: TaskPayload) {
  return {
    model: optionalString(payload, "model", { nonEmpty: true, parent: "payload" }),
    messages: messagesOf(payload),
    system: optionalString(payload, "system", { parent: "payload" }),
    temperature: optionalNumber(payload, "temperature", { min: 0, max: 2, parent: "payload" }),
    maxTokens: optionalInteger(payload, "max_tokens", {
      min: 1,
      max: 1_000_000,
      parent: "payload",
    }),
  };
}

/** The `inference` handler over `client`. */
export function inferenceHandler(deps: { client: ModelClient; clock: Clock }): TaskHandler {
  return {
    validate(payload) {
      settingsOf(payload);
    },
    async run(payload, ctx): Promise<InferenceResult> {
      const settings = settingsOf(payload);
      const started = deps.clock.now();
      const model = await deps.client.chatModel(settings.model ?? null);
      let pieces = 0;
      const answer = await deps.client.chat({
        model,
        messages: settings.messages,
        ...(settings.system ? { instructions: settings.system } : {}),
        temperature: settings.temperature ?? 0.7,
        maxOutputTokens: settings.maxTokens ?? DEFAULT_MAX_TOKENS,
        signal: ctx.signal,
        onText: (text) => {
          pieces++;
          ctx.emit(text);
        },
      });
      if (answer.aborted) throw ctx.signal.reason ?? createError("interrupted", "Stopped");
      const seconds = Math.max(0, deps.clock.now() - started) / 1000;
      const count = answer.usage.outputTokens ?? pieces;
      return {
        response: answer.text,
        model,
        tokens_per_second: seconds > 0 ? round(count / seconds) : 0,
        ...(answer.usage.outputTokens === null ? {} : { eval_count: answer.usage.outputTokens }),
        ...(answer.usage.inputTokens === null
          ? {}
          : { prompt_eval_count: answer.usage.inputTokens }),
        duration_seconds: round(seconds),
      };
    },
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
