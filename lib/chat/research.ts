/**
 * Research: the model plans 2–4 searches, they fan out in parallel, the results are merged
 * by URL, the top pages are read in parallel, and the answer streams with [W1].. citations.
 */

import { type Clock, createError, systemClock } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { RunTask } from "../orchestrator/mod.ts";
import { contextBudgetChars } from "./pipeline.ts";
import { allSearchesFailed, readPages, searchAll } from "./research_fan_out.ts";
import {
  mergeHits,
  parsePlan,
  type Plan,
  PLANNER_INSTRUCTIONS,
  researchInstructions,
  type ResearchSource,
} from "./research_plan.ts";

/** What research needs. */
export interface ResearchDeps {
  /** The model server that plans and answers. */
  client: ModelClient;
  /** The model that plans and answers. */
  model: string;
  /** Runs the web_search and web_fetch tasks: here, or across the swarm. */
  runTask: RunTask;
  /** Times the steps. @default systemClock */
  clock?: Clock | undefined;
}

/** A step of research, for progress lines. */
export type ResearchProgress =
  | { type: "planned"; queries: string[]; fallback: string | null }
  | {
    type: "searched";
    queries: number;
    failed: { query: string; reason: string }[];
    unique: number;
  }
  | { type: "read"; tried: number; read: number; skipped: { url: string; reason: string }[] };

/** Settings of {@linkcode research}. */
export interface ResearchOptions {
  /** Results per search, 1–20. @default 5 */
  maxResults?: number | undefined;
  /** Pages read in full (the first results of the merged list). @default 3 */
  maxPages?: number | undefined;
  /** Sources given to the model at most. @default 8 */
  maxSources?: number | undefined;
  /** The model's window in tokens; sources are cut to fit half of it. @default 4096 */
  contextTokens?: number | undefined;
  /** Stops the research; the answer so far is kept. */
  signal?: AbortSignal | undefined;
  /** Hears each step, for progress lines. */
  onProgress?: ((step: ResearchProgress) => void) | undefined;
  /** Each piece of the answer as it streams. */
  onText?: ((text: string) => void) | undefined;
}

/** What research found and answered. */
export interface ResearchResult {
  /** The question researched. */
  question: string;
  /** The web searches made. */
  queries: string[];
  /** The sources given to the model, as cited. */
  sources: ResearchSource[];
  /** The answer, citing the sources by label. */
  answer: string;
  /** The signal stopped the answer; `answer` holds what came. */
  aborted: boolean;
}

/**
 * Researches a question on the web.
 *
 * @throws MycoError `invalid_input` for a blank question; the first search's error when
 * every search failed (`web_unavailable`, `rate_limited`); `interrupted` when `signal`
 * fires before the answer; the model client's errors while answering
 */
export async function research(
  question: string,
  deps: ResearchDeps,
  options: ResearchOptions = {},
): Promise<ResearchResult> {
  const asked = question.replace(/\s+/g, " ").trim();
  if (asked === "") {
    throw createError("invalid_input", "The research question is empty: ask something");
  }
  const { signal, onProgress } = options;
  const plan = await planQueries(asked, deps, signal);
  onProgress?.({ type: "planned", ...plan });
  stopIfAborted(signal);

  const outcomes = await searchAll(plan.queries, deps.runTask, {
    maxResults: options.maxResults,
    signal,
  });
  stopIfAborted(signal);
  if (outcomes.every((o) => !o.ok)) throw allSearchesFailed(outcomes);
  const merged = mergeHits(outcomes.map((o) => (o.ok ? o.hits : [])));
  const hits = merged.slice(0, options.maxSources ?? 8);
  const failed = outcomes.flatMap((o) =>
    o.ok ? [] : [{ query: o.query, reason: firstLine(o.error) }]
  );
  onProgress?.({ type: "searched", queries: outcomes.length, failed, unique: merged.length });

  const toRead = hits.slice(0, options.maxPages ?? 3).map((hit) => hit.url);
  const { pages, skipped } = await readPages(toRead, deps.runTask, { signal });
  onProgress?.({ type: "read", tried: toRead.length, read: pages.size, skipped });
  stopIfAborted(signal);

  const budget = contextBudgetChars(options.contextTokens ?? 4096);
  const pageChars = Math.max(400, Math.floor((budget * 0.8) / Math.max(1, pages.size)));
  const sources: ResearchSource[] = hits.map((hit, i) => {
    const page = pages.get(hit.url);
    return {
      label: `[W${i + 1}]`,
      title: hit.title || page?.title || hit.url,
      url: hit.url,
      text: page ? page.text.slice(0, pageChars) : hit.snippet,
      read: page !== undefined,
    };
  });
  const answer = await deps.client.chat({
    model: deps.model,
    instructions: researchInstructions(sources, new Date((deps.clock ?? systemClock).now())),
    messages: [{ role: "user", content: asked }],
    ...(signal ? { signal } : {}),
    ...(options.onText ? { onText: options.onText } : {}),
  });
  return {
    question: asked,
    queries: plan.queries,
    sources,
    answer: answer.text,
    aborted: answer.aborted,
  };
}

/** Asks the model for 2–4 queries (temperature 0.3, 30 s); any failure searches the question. */
export async function planQueries(
  question: string,
  deps: Pick<ResearchDeps, "client" | "model">,
  signal?: AbortSignal,
): Promise<Plan> {
  try {
    const answer = await deps.client.complete({
      model: deps.model,
      instructions: PLANNER_INSTRUCTIONS,
      prompt: question,
      temperature: 0.3,
      maxOutputTokens: 200,
      timeoutMs: 30_000,
      ...(signal ? { signal } : {}),
    });
    return parsePlan(answer, question);
  } catch (error) {
    stopIfAborted(signal);
    // The question itself, cleaned and cut as a query, is searched instead.
    return {
      ...parsePlan("", question),
      fallback: `the model could not plan: ${firstLine(error)}`,
    };
  }
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw createError("interrupted", "Research interrupted");
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
