/** Opens memory for chat and ask: the database, the embedding model and the pipeline context. */

import { TurnContext } from "../chat/mod.ts";
import type { Config } from "../config/mod.ts";
import { isMycoError } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import { Store } from "../store/mod.ts";
import { embedderFor } from "./_embedder.ts";
import { systemLogger } from "./_logger.ts";
import type { CliContext } from "./context.ts";

/**
 * The pipeline context. Memory is optional: when the database cannot be
 * opened, chat and ask still answer, and say once that memory is off.
 */
export async function openTurnContext(
  config: Config,
  ctx: CliContext,
  client: ModelClient,
): Promise<TurnContext & Disposable> {
  let store: Store | null = null;
  try {
    store = Store.open(config.paths.databaseFile);
  } catch (error) {
    if (!isMycoError(error)) throw error;
    ctx.stderr.write(`warning: memory is off: ${error.message}\n`);
  }
  const { embedder } = await embedderFor(client);
  const turns = new TurnContext({
    store,
    client,
    embedder,
    clock: ctx.clock,
    indexDir: config.paths.indexDir,
    logger: systemLogger(ctx),
    contextTokens: config.llm.contextTokens,
  });
  return Object.assign(turns, { [Symbol.dispose]: () => store?.close() });
}
