/** Paced, abortable streaming of token frames, with an optional mid-stream connection drop. */

import type { FakeLlmOptions } from "./_fake_llm_types.ts";

/** Thrown into a response stream to cut the connection on purpose; the server stays quiet. */
export class DroppedStream extends Error {
  constructor() {
    super("fake-llm: connection dropped on purpose (dropAfterTokens)");
    this.name = "DroppedStream";
  }
}

/** What a streaming route sends, frame by frame. */
export interface StreamPlan<T = string> {
  /** The model answering, for its `modelDelayMs`. */
  model: string;
  /** The reply split into tokens; each becomes one frame. */
  tokens: readonly T[];
  /** Frames sent before the first token (e.g. OpenAI's role-only chunk). */
  head?: readonly string[];
  /** Encodes one token as a frame, e.g. one NDJSON line or one SSE event. */
  frame(token: T): string;
  /** Frames after the last token, built then so timings are real. */
  tail(timing: StreamTiming): string[];
}

/** `performance.now()` marks of one generation, for Ollama's duration fields. */
export interface StreamTiming {
  start: number;
  firstToken: number;
  end: number;
}

/** Resolves after `ms`, or rejects with the signal's reason; never leaves a timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The model's own extra latency from `modelDelayMs`; "x" and "x:latest" are one model. */
export function modelDelay(options: FakeLlmOptions, model: string): number {
  const delays = options.modelDelayMs ?? {};
  const bare = model.endsWith(":latest") ? model.slice(0, -":latest".length) : model;
  return delays[model] ?? delays[bare] ?? delays[`${bare}:latest`] ?? 0;
}

/** Waits as long as generating `tokens` would take with the configured latencies. */
export async function generationDelay(
  tokens: number,
  options: FakeLlmOptions,
  signal: AbortSignal,
  model = "",
): Promise<StreamTiming> {
  const start = performance.now();
  await sleep((options.firstTokenDelayMs ?? 0) + modelDelay(options, model), signal);
  const firstToken = performance.now();
  await sleep((options.tokenDelayMs ?? 0) * Math.max(0, tokens - 1), signal);
  return { start, firstToken, end: performance.now() };
}

/**
 * Streams the plan's frames as a response body, pacing tokens by the options and cutting the
 * connection after `dropAfterTokens` tokens. Stops when the client cancels or `signal` aborts.
 */
export function streamBody<T>(
  plan: StreamPlan<T>,
  options: FakeLlmOptions,
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const cancelled = new AbortController();
  const stop = AbortSignal.any([signal, cancelled.signal]);
  // Read once: a test changing the options mid-stream affects the next request only.
  const pacing = {
    first: (options.firstTokenDelayMs ?? 0) + modelDelay(options, plan.model),
    between: options.tokenDelayMs ?? 0,
    dropAfter: options.dropAfterTokens,
  };
  const encoder = new TextEncoder();
  const frames = generateFrames(plan, pacing, stop);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await frames.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // Erroring the body makes Deno.serve abort the socket mid-response.
        controller.error(error);
      }
    },
    cancel(reason) {
      cancelled.abort(reason);
    },
  });
}

async function* generateFrames<T>(
  plan: StreamPlan<T>,
  pacing: { first: number; between: number; dropAfter: number | undefined },
  signal: AbortSignal,
): AsyncGenerator<string> {
  const start = performance.now();
  await sleep(pacing.first, signal);
  const firstToken = performance.now();
  yield* plan.head ?? [];
  const dropAfter = pacing.dropAfter === undefined ? Infinity : Math.max(0, pacing.dropAfter);
  for (const [index, token] of plan.tokens.entries()) {
    if (index === dropAfter) yield* drop(signal);
    if (index > 0) await sleep(pacing.between, signal);
    yield plan.frame(token);
  }
  // A reply shorter than dropAfterTokens still loses its ending.
  if (dropAfter >= plan.tokens.length && dropAfter !== Infinity) yield* drop(signal);
  yield* plan.tail({ start, firstToken, end: performance.now() });
}

// deno-lint-ignore require-yield
async function* drop(signal: AbortSignal): AsyncGenerator<string> {
  // Give the frames already queued a moment to reach the socket before it is cut.
  await sleep(10, signal);
  throw new DroppedStream();
}
