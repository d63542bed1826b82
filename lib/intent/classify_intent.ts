/**
 * The intent gate: rules first, then the gate model under a time limit, then the rules again.
 * Never throws; whatever fails, the message gets the default intent and one line saying why.
 */

import type { Clock } from "../core/mod.ts";
import { GATE_SYSTEM_PROMPT } from "./gate_prompt.ts";
import {
  applyIntentRules,
  DATE_TIME_INTENT,
  isDateTimeQuestion,
  isShortMessage,
} from "./intent_rules.ts";
import { parseIntent } from "./parse_intent.ts";
import { DEFAULT_INTENT, type Intent } from "./types.ts";

/** How long the gate model may take: mycoSwarm's read timeout, past which the gate is a cost. */
export const GATE_TIMEOUT_MS = 15_000;

/** The note when no gate model is installed. */
export const NO_GATE_MODEL_NOTE = "no gate model: using the default intent";

/** Asks the gate model: system prompt, user message, cancellation. Resolves to its raw text. */
export type GateComplete = (system: string, user: string, signal?: AbortSignal) => Promise<string>;

/** What {@linkcode gateComplete} needs of a model client (`ModelClient.complete`). */
export interface GateModelClient {
  /** Asks the gate model once, without streaming. */
  complete(request: {
    model: string;
    instructions: string;
    prompt: string;
    temperature: number;
    maxOutputTokens: number;
    timeoutMs: number;
    signal?: AbortSignal;
  }): Promise<string>;
}

/**
 * The gate as `client` asks `model`: temperature 0, a short answer, within
 * {@linkcode GATE_TIMEOUT_MS}.
 *
 * @example
 * ```ts
 * await classifyIntent(message, { clock, complete: gateComplete(client, "gemma3:1b") });
 * ```
 */
export function gateComplete(client: GateModelClient, model: string): GateComplete {
  return (system, user, signal) =>
    client.complete({
      model,
      instructions: system,
      prompt: user,
      temperature: 0,
      maxOutputTokens: 100,
      timeoutMs: GATE_TIMEOUT_MS,
      ...(signal ? { signal } : {}),
    });
}

/** What {@linkcode classifyIntent} needs from the world. */
export interface ClassifyIntentDeps {
  /** The gate model, or null when none is installed. */
  complete: GateComplete | null;
  /** Times the decision. */
  clock: Clock;
  /** Time limit for the gate model. @default {15000} */
  timeoutMs?: number;
  /** Cancels the classification (e.g. Ctrl-C); the default intent is returned. */
  signal?: AbortSignal;
}

/** Where the decision came from. */
export type IntentSource = "rule" | "short" | "model" | "fallback" | "no-model" | "command";

/** The gate's decision, with what `chat --debug` and `ask --json` show about it. */
export interface IntentDecision {
  /** The intent the message gets. */
  intent: Intent;
  /** Who decided, so logs and tests can tell a rule from the model. */
  source: IntentSource;
  /** The model's raw text, when the model answered. */
  raw: string | null;
  /** Milliseconds the decision took. */
  ms: number;
  /** One line on why the model's answer was not used as is, or null. */
  note: string | null;
}

/**
 * Classifies a message. Date and time questions take a rule ({answer, chat, facts}); messages
 * under 5 words skip the model; otherwise the gate model answers within `timeoutMs`. The rules
 * of {@linkcode applyIntentRules} apply to every outcome, so "what did we discuss?" is scope
 * session even without a model.
 *
 * @param message The user's message.
 * @param deps The gate model, the clock and the time limit.
 * @returns The decision; never rejects.
 *
 * @example
 * ```ts
 * const deps = { complete: null, clock: systemClock };
 * const decision = await classifyIntent("What did we discuss yesterday?", deps);
 * decision.intent.scope; // "session"
 * ```
 */
export async function classifyIntent(
  message: string,
  deps: ClassifyIntentDeps,
): Promise<IntentDecision> {
  const start = deps.clock.now();
  const done = (intent: Intent, source: IntentSource, raw: string | null, note: string | null) => ({
    intent: applyIntentRules(intent, message),
    source,
    raw,
    ms: Math.max(0, deps.clock.now() - start),
    note,
  });
  if (isDateTimeQuestion(message)) return done(DATE_TIME_INTENT, "rule", null, null);
  if (isShortMessage(message)) return done(DEFAULT_INTENT, "short", null, null);
  if (deps.complete === null) return done(DEFAULT_INTENT, "no-model", null, NO_GATE_MODEL_NOTE);

  const timeoutMs = deps.timeoutMs !== undefined && deps.timeoutMs > 0
    ? deps.timeoutMs
    : GATE_TIMEOUT_MS;
  let raw: string;
  try {
    raw = String(await askGate(deps.complete, message, timeoutMs, deps.signal));
  } catch (error) {
    const note = deps.signal?.aborted
      ? "intent classification cancelled: using the default intent"
      : failureNote(error, timeoutMs);
    return done(DEFAULT_INTENT, "fallback", null, note);
  }
  const parsed = parseIntent(raw);
  if (!parsed.json) {
    const took = parsed.defaulted.includes("tool")
      ? "using the default intent"
      : `took tool ${parsed.intent.tool} from its text`;
    return done(parsed.intent, "fallback", raw, `gate model did not answer in JSON: ${took}`);
  }
  const note = parsed.defaulted.length === 0
    ? null
    : `gate model gave no valid ${parsed.defaulted.join(", ")}: using the default`;
  return done(parsed.intent, "model", raw, note);
}

class GateTimeout extends Error {}

/** Calls the model, rejecting when the time is up or `outer` aborts; clears its timer. */
async function askGate(
  complete: GateComplete,
  message: string,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<string> {
  const controller = new AbortController();
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted) forward();
  outer?.addEventListener("abort", forward, { once: true });
  const timer = setTimeout(() => controller.abort(new GateTimeout()), timeoutMs);
  try {
    const stopped = new Promise<never>((_, reject) => {
      if (controller.signal.aborted) reject(controller.signal.reason);
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason));
    });
    const answer = Promise.resolve().then(() =>
      complete(GATE_SYSTEM_PROMPT, message, controller.signal)
    );
    return await Promise.race([answer, stopped]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", forward);
  }
}

function failureNote(error: unknown, timeoutMs: number): string {
  if (error instanceof GateTimeout) {
    return `gate model timed out after ${timeoutMs} ms: using the default intent`;
  }
  const text = error instanceof Error ? error.message : String(error);
  const line = (text.split("\n")[0] ?? "").trim().slice(0, 160);
  return `gate model failed${line === "" ? "" : ` (${line})`}: using the default intent`;
}
