/**
 * The thinking pipeline for one message: intent → memory → retrieval →
 * prompt. Chat, ask and (later) the HTTP API all call {@linkcode prepareTurn};
 * the answer is then streamed with the system prompt it returns.
 */

import { type Clock, isMycoError, type Logger, type MycoError } from "../core/mod.ts";
import { classifyIntent, gateComplete, type Intent, type IntentDecision } from "../intent/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import {
  type Embedder,
  embedQuery,
  FACTS_BUDGET_SHARE,
  factsPromptSection,
  type MemoryClaim,
  recall,
  type RecallIndexes,
  RecallIndexSet,
  type RecallResult,
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

/** What {@linkcode TurnContext} is made of. */
export interface TurnContextOptions {
  store: Store | null;
  client: ModelClient;
  embedder: Embedder | null;
  clock: Clock;
  indexDir: string;
  logger: Logger;
  /**
   * The chat model's window in tokens, when the turn's model is not given to
   * {@linkcode prepareTurn}. @default 4096
   */
  contextTokens?: number | null;
  /** @default null */
  web?: WebLookup | null;
}

/** What the forks of a {@linkcode TurnContext} share: its embedder, indexes and gate model. */
export interface SharedMemory {
  embedder: Embedder | null;
  indexes: RecallIndexSet | null;
  gateModel: Promise<string | null> | null;
  /** Why memory is off (it could not be opened, or a check found it damaged); null: on. */
  memoryOff: string | null;
}

/** Whether a conversation's turns use memory, and if not, why — as `/health` reports it. */
export interface MemoryStatus {
  /** `ok`: facts, recall and reflections work; `off`: answers are given without memory. */
  state: "ok" | "off";
  /** Why memory is off and what to do; null when it is on. */
  reason: string | null;
}

/**
 * Memory and models for the pipeline; opened once per chat or ask. A process serving
 * several conversations (the daemon's chat API) gives each its own {@linkcode fork}.
 */
export class TurnContext {
  /** The model server the pipeline asks (intent gate, answers). */
  readonly client: ModelClient;
  /** Stamps turns and ages memories. */
  readonly clock: Clock;
  /** Web results for turns whose intent needs the web; null: never searched. */
  readonly web: WebLookup | null;
  /** Characters the recalled context may take in a prompt. */
  readonly budgetChars: number;
  readonly #options: TurnContextOptions;
  readonly #shared: SharedMemory;
  /**
   * What the session's answers were grounded on (documents, web results), for the
   * reflection's grounding check. Recalled memories are not evidence: see `recalledClaims`.
   */
  readonly retrieved: string[] = [];
  /** Memory claims put in the session's prompts: they lend a reflection their standing only. */
  readonly recalledClaims: MemoryClaim[] = [];

  /**
   * Binds memory and models; the search indexes open on the first turn that needs them.
   *
   * @param shared what forks share; a new context opens its own
   */
  constructor(options: TurnContextOptions, shared?: SharedMemory) {
    this.budgetChars = contextBudgetChars(options.contextTokens ?? 4096);
    this.client = options.client;
    this.clock = options.clock;
    this.web = options.web ?? null;
    this.#options = options;
    this.#shared = shared ?? {
      embedder: options.embedder,
      indexes: this.#indexSet(options.embedder),
      gateModel: null,
      memoryOff: null,
    };
  }

  /** The memory database; null when memory is off (it could not be opened, or is damaged). */
  get store(): Store | null {
    // The constructor asks before #shared is set: memory is on until told otherwise.
    return (this.#shared?.memoryOff ?? null) === null ? this.#options.store : null;
  }

  /** Whether memory is on, in this context and all its forks. */
  memory(): MemoryStatus {
    const reason = this.#shared.memoryOff ?? (this.#options.store === null ? "no database" : null);
    return reason === null ? { state: "ok", reason: null } : { state: "off", reason };
  }

  /**
   * Stops using memory, in this context and all its forks, for `reason`: the turns answer
   * without it, and nothing more is written to a damaged database.
   */
  turnMemoryOff(reason: string): void {
    this.#shared.memoryOff ??= reason;
    this.#shared.indexes = null;
  }

  /**
   * Checks the database for damage when it changed since its last good check (the daemon
   * calls this on a timer); damage turns memory off and is logged once, with what to do.
   *
   * @returns the memory status after the check
   */
  checkMemory(): MemoryStatus {
    const store = this.store;
    if (store === null) return this.memory();
    try {
      store.check();
    } catch (error) {
      if (!isMycoError(error, "store_damaged")) throw error;
      this.#options.logger.warn(`memory is off: ${error.message}\n${error.hint ?? ""}`);
      this.turnMemoryOff(memoryOffReason(error));
    }
    return this.memory();
  }

  /** The embedding model's client, or null (recall is by keywords only). */
  get embedder(): Embedder | null {
    return this.#shared.embedder;
  }

  /**
   * Starts using `embedder` — one found after start, when the model server came up or the
   * model was pulled — in this context and all its forks: recall searches by meaning again,
   * from the indexes (and snapshots) of that model.
   */
  useEmbedder(embedder: Embedder): void {
    this.#shared.embedder = embedder;
    this.#shared.indexes = this.#indexSet(embedder);
  }

  #indexSet(embedder: Embedder | null): RecallIndexSet | null {
    const { indexDir, logger } = this.#options;
    const store = this.store;
    if (store === null) return null;
    return new RecallIndexSet(store, { indexDir, vectorModel: embedder?.model ?? null, logger });
  }

  /** A context for another conversation: the same memory, indexes and models; its own `retrieved`. */
  fork(): TurnContext {
    return new TurnContext(this.#options, this.#shared);
  }

  /** The search indexes: opened on first use, then brought up to date with each call. */
  indexes(): Promise<RecallIndexes> {
    return this.#shared.indexes?.current() ??
      Promise.resolve({ documents: null, episodes: null, procedures: null });
  }

  /**
   * The gate model's name, or null (then the default intent is used). None found is asked
   * again next time: a model server that was down at start may be up now.
   */
  gateModel(): Promise<string | null> {
    const shared = this.#shared;
    if (shared.gateModel === null) {
      const asked: Promise<string | null> = this.client.roles().then((r) => r.gate, () => null);
      shared.gateModel = asked;
      asked.then((gate) => {
        if (gate === null && shared.gateModel === asked) shared.gateModel = null;
      });
    }
    return shared.gateModel;
  }
}

/**
 * Why memory is off, in one line for `/health` and the answers: the error's message, and for
 * a damaged database where the full advice is printed.
 */
export function memoryOffReason(error: MycoError): string {
  if (error.code !== "store_damaged") return error.message;
  return `${error.message}; run \`mycoswarm memory\` for how to recover it`;
}

/** Everything decided for one message. */
export interface PreparedTurn {
  /** The intent and how it was decided (gate model or rules). */
  decision: IntentDecision;
  /** What memory recalled for the message; null when memory is off. */
  recalled: RecallResult | null;
  /** The user's facts put in the prompt, most important first. */
  facts: FactRow[];
  /** Facts left out of the prompt: over its budget (the prompt says how many). */
  factsLeftOut: number;
  /** The system prompt and the sources it labelled. */
  prompt: AssembledPrompt;
}

/** Runs intent, recall and prompt assembly for `message`. */
export async function prepareTurn(
  message: string,
  ctx: TurnContext,
  options: {
    signal?: AbortSignal;
    intent?: Intent;
    /** The model that will answer: the prompt is budgeted for its window (`num_ctx`). */
    model?: string;
  } = {},
): Promise<PreparedTurn> {
  // The query's embedding and the model's window are asked for at once, so they are
  // worked out while the gate thinks.
  const queryEmbedding = ctx.store === null ? undefined : embedQuery(ctx.embedder, message);
  const budget = options.model
    ? ctx.client.contextWindow(options.model).then(contextBudgetChars)
    : Promise.resolve(ctx.budgetChars);
  const gate = options.intent ? null : await ctx.gateModel();
  const decision: IntentDecision = options.intent
    ? { intent: options.intent, source: "command", raw: null, ms: 0, note: null }
    : await classifyIntent(message, {
      clock: ctx.clock,
      complete: gate === null ? null : gateComplete(ctx.client, gate),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  // Searched while memory is recalled; lookup() never throws.
  const webLookup = ctx.web?.lookup(message, decision.intent, options.signal);
  const store = ctx.store;
  const recalled = store === null ? null : await recall(message, decision.intent, {
    store,
    indexes: await ctx.indexes(),
    embedder: ctx.embedder,
    queryEmbedding,
    now: ctx.clock.now(),
  });
  if (recalled) {
    ctx.retrieved.push(...recalled.documents.map((d) => d.text));
    // Not evidence (a repeated invention must never ground itself): kept apart, with standing.
    ctx.recalledClaims.push(
      ...recalled.episodes.flatMap((e) => e.claims)
        .map((c) => ({ ref: c.ref, text: c.text, grounded: c.recalled })),
    );
  }
  const web = (await webLookup) ?? [];
  ctx.retrieved.push(...web.map((w) => w.text));
  if (recalled && recalled.procedures.length > 0) {
    store?.procedures.used(recalled.procedures.map((p) => p.id));
  }
  const budgetChars = await budget;
  const facts = factsPromptSection(store?.facts.list() ?? [], {
    message,
    budgetChars: Math.floor(budgetChars * FACTS_BUDGET_SHARE),
  });
  const prompt = assemblePrompt({
    facts: facts.text,
    // Only the claims recall kept: grounded, not quarantined, not contradicted by a document.
    sessions: (recalled?.episodes ?? []).map((e) => ({
      date: e.episode.ended_at,
      // An episode whose only grounded claims are decisions or lessons still says something.
      summary: e.claims.filter((c) => c.kind === "summary" || c.kind === "surprise")
        .map((c) => c.text).join(" ") || e.text,
      tone: e.episode.tone,
      decisions: e.claims.filter((c) => c.kind === "decision").map((c) => c.text),
      lessons: e.kind === "lesson"
        ? [e.text]
        : e.claims.filter((c) => c.kind === "lesson").map((c) => c.text),
      score: e.score,
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
    budgetChars,
  });
  return { decision, recalled, facts: facts.shown, factsLeftOut: facts.leftOut, prompt };
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
      `[recall] ${r.hybrid ? "hybrid" : "keywords"}: ${r.episodes.length} sessions, ` +
        `${r.documents.length} documents, ${r.procedures.length} procedures, ` +
        `${turn.facts.length} facts`,
    );
    const leftOut = turn.factsLeftOut;
    if (leftOut > 0) {
      lines.push(
        `[recall] ${leftOut} fact${leftOut === 1 ? "" : "s"} left out: over the prompt budget`,
      );
    }
    for (const w of r.withheld) {
      lines.push(
        `[recall] session ${w.episodeId}: ${w.action} claim #${w.claim.ref} ` +
          `"${w.claim.text.slice(0, 80)}" — ${w.reason}`,
      );
    }
  }
  return lines.join("\n");
}
