/**
 * Opens memory for a conversation: the database, the embedding model and the pipeline
 * context every turn of `chat`, `ask` and the daemon's chat API runs through.
 *
 * @module
 */

import type { Config } from "../config/mod.ts";
import { type Clock, isMycoError, type Logger } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { RunTask } from "../orchestrator/mod.ts";
import { Store } from "../store/mod.ts";
import { embedderFor } from "./embedder_for.ts";
import { memoryOffReason, TurnContext } from "./pipeline.ts";
import { WebLookup } from "./web_context.ts";

/** What {@linkcode openTurnContext} needs besides the config and the model client. */
export interface OpenTurnContextOptions {
  /** Runs the web searches of turns whose intent needs the web. */
  runTask: RunTask;
  /** Stamps the turns' times. */
  clock: Clock;
  /** Where memory and web problems are reported. */
  logger: Logger;
  /**
   * Told once, when the database cannot be opened (or is damaged) and memory is off: why,
   * and for damage what to do.
   */
  onMemoryOff: (why: string) => void;
  /**
   * Whether turns may search the web: the daemon's chat API does so only where the operator
   * turned it on (`[api] web`), so no utterance from a client leaves the LAN by default.
   * @default true
   */
  web?: boolean;
}

/**
 * The pipeline context, with the database it opened; dispose it to close the database.
 * Memory is optional: when the database cannot be opened, the turns still answer, and
 * `onMemoryOff` says why once.
 */
export async function openTurnContext(
  config: Config,
  client: ModelClient,
  options: OpenTurnContextOptions,
): Promise<TurnContext & Disposable> {
  let store: Store | null = null;
  let off: string | null = null;
  try {
    store = Store.open(config.paths.databaseFile);
  } catch (error) {
    if (!isMycoError(error)) throw error;
    off = memoryOffReason(error);
    options.onMemoryOff(error.code === "store_damaged" ? `${error.message}\n${error.hint}` : off);
  }
  const { embedder } = await embedderFor(client);
  const turns = new TurnContext({
    store,
    client,
    embedder,
    clock: options.clock,
    indexDir: config.paths.indexDir,
    logger: options.logger,
    contextTokens: config.llm.contextTokens,
    web: options.web === false
      ? null
      : new WebLookup({ runTask: options.runTask, logger: options.logger }),
  });
  if (off !== null) turns.turnMemoryOff(off);
  return Object.assign(turns, { [Symbol.dispose]: () => store?.close() });
}
