/**
 * The thinking pipeline for one message: intent → memory → retrieval →
 * prompt. Chat, ask and (later) the HTTP API all call {@linkcode prepareTurn};
 * the answer is then streamed with the system prompt it returns.
 */

import type { Clock, Logger } from "../core/mod.ts";
import { classifyIntent, type Intent, type IntentDecision } from "../intent/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import {
  type Embedder,
  factsPromptSection,
  openCollectionIndex,
  type OpenedIndex,
  openLibraryIndex,
  proceduresSource,
  recall,
  type RecallIndexes,
  type RecallResult,
  sessionsSource,
} from "../memory/mod.ts";
import type { FactRow, Store } from "../store/mod.ts";
import { type AssembledPrompt, assemblePrompt } from "./prompt_assembly.ts";
import type { WebLookup } from "./web_context.ts";

/**
 * Characters of context for a model window of `contextTokens`: about 4 characters a
 * token, with half the window kept for the conversation and the answer.
 */
export function contextBudgetChars(contextTokens: number): number {
  return Math.floor(contextTokens * 4 * 0.5);
}

/** Memory and models for the pipeline; opened once per chat or ask. */
export class TurnContext {
  readonly store: Store | null;
  readonly client: ModelClient;
  readonly embedder: Embedder | null;
  readonly clock: Clock;
  /** Web results for turns whose intent needs the web; null: never searched. */
  readonly web: WebLookup | null;
  /** Characters the recalled context may take in a prompt. */
  readonly budgetChars: number;
  readonly #indexDir: string;
  readonly #logger: Logger;
  #indexes: Promise<RecallIndexes> | null = null;
  #gateModel: Promise<string | null> | null = null;
  /** What the session's answers were grounded on, for the reflection's grounding check. */
  readonly retrieved: string[] = [];

  constructor(options: {
    store: Store | null;
    client: ModelClient;
    embedder: Embedder | null;
    clock: Clock;
    indexDir: string;
    logger: Logger;
    /** The chat model's window in tokens. @default 4096 */
    contextTokens?: number;
    /** @default null */
    web?: WebLookup | null;
  }) {
    this.budgetChars = contextBudgetChars(options.contextTokens ?? 4096);
    this.store = options.store;
    this.client = options.client;
    this.embedder = options.embedder;
    this.clock = options.clock;
    this.web = options.web ?? null;
    this.#indexDir = options.indexDir;
    this.#logger = options.logger;
  }

  /** The search indexes, opened on first use. */
  indexes(): Promise<RecallIndexes> {
    if (this.#indexes === null) this.#indexes = this.#openIndexes();
    return this.#indexes;
  }

  /** The gate model's name, or null (then the default intent is used). */
  gateModel(): Promise<string | null> {
    this.#gateModel ??= this.client.roles().then((r) => r.gate, () => null);
    return this.#gateModel;
  }

  async #openIndexes(): Promise<RecallIndexes> {
    const store = this.store;
    if (store === null) return { documents: null, sessions: null, procedures: null };
    const options = {
      indexDir: this.#indexDir,
      vectorModel: this.embedder?.model ?? null,
      logger: this.#logger,
    };
    const index = (opened: OpenedIndex) => opened.index;
    const [documents, sessions, procedures] = await Promise.all([
      openLibraryIndex(store, options).then(index),
      openCollectionIndex(store, sessionsSource(store), options).then(index),
      openCollectionIndex(store, proceduresSource(store), options).then(index),
    ]);
    return { documents, sessions, procedures };
  }
}

/** Everything decided for one message. */
export interface PreparedTurn {
  decision: IntentDecision;
  recalled: RecallResult | null;
  facts: FactRow[];
  prompt: AssembledPrompt;
}

/** Runs intent, recall and prompt assembly for `message`. */
export async function prepareTurn(
  message: string,
  ctx: TurnContext,
  options: { signal?: AbortSignal; intent?: Intent } = {},
): Promise<PreparedTurn> {
  const gate = options.intent ? null : await ctx.gateModel();
  const decision: IntentDecision = options.intent
    ? { intent: options.intent, source: "command", raw: null, ms: 0, note: null }
    : await classifyIntent(message, {
      clock: ctx.clock,
      complete: gate === null ? null : (system, user, signal) =>
        ctx.client.complete({
          model: gate,
          instructions: system,
          prompt: user,
          temperature: 0,
          maxOutputTokens: 100,
          timeoutMs: 15_000,
          ...(signal ? { signal } : {}),
        }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  // Searched while memory is recalled; lookup() never throws.
  const webLookup = ctx.web?.lookup(message, decision.intent, options.signal);
  const store = ctx.store;
  const facts = store?.facts.list() ?? [];
  const recalled = store === null ? null : await recall(message, decision.intent, {
    store,
    indexes: await ctx.indexes(),
    embedder: ctx.embedder,
    now: ctx.clock.now(),
  });
  if (recalled) {
    ctx.retrieved.push(...recalled.documents.map((d) => d.text));
    ctx.retrieved.push(...recalled.sessions.map((s) => s.text));
  }
  const web = (await webLookup) ?? [];
  ctx.retrieved.push(...web.map((w) => w.text));
  if (recalled && recalled.procedures.length > 0) {
    store?.procedures.used(recalled.procedures.map((p) => p.id));
  }
  const prompt = assemblePrompt({
    facts: factsPromptSection(facts),
    sessions: (recalled?.sessions ?? []).map((s) => ({
      date: s.session.ended_at,
      summary: s.session.summary,
      tone: s.session.tone,
      decisions: s.session.decisions,
      lessons: s.kind === "lesson" ? [s.text] : s.session.lessons,
      score: s.score,
    })),
    documents: (recalled?.documents ?? []).map((d) => ({
      source: d.source,
      section: d.section,
      text: d.text,
      score: d.score,
    })),
    web,
    procedures: (recalled?.procedures ?? []).map((p) => ({
      problem: p.problem,
      solution: p.solution,
      score: p.score,
    })),
    now: new Date(ctx.clock.now()),
    budgetChars: ctx.budgetChars,
  });
  return { decision, recalled, facts, prompt };
}

/** The --debug lines for a prepared turn. */
export function describeTurn(turn: PreparedTurn): string {
  const { intent, source, ms, note } = turn.decision;
  const lines = [
    `[intent] tool=${intent.tool} mode=${intent.mode} scope=${intent.scope} ` +
    `(${source}, ${Math.round(ms)} ms)${note ? ` — ${note}` : ""}`,
  ];
  const r = turn.recalled;
  if (r) {
    lines.push(
      `[recall] ${r.hybrid ? "hybrid" : "keywords"}: ${r.sessions.length} sessions, ` +
        `${r.documents.length} documents, ${r.procedures.length} procedures, ` +
        `${turn.facts.length} facts`,
    );
    for (const c of r.contradicted) {
      lines.push(
        `[recall] dropped session ${c.sessionId}: contradicts a document on "${c.anchor}"`,
      );
    }
    for (const q of r.quarantined) {
      lines.push(`[recall] quarantined session ${q.sessionId}: ${q.poisoned.join(", ")}`);
    }
  }
  return lines.join("\n");
}
