/** Opens memory for chat and ask: the database, the embedding model and the pipeline context. */

import { TurnContext, WebLookup } from "../chat/mod.ts";
import type { Config } from "../config/mod.ts";
import { isMycoError } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { RunTask } from "../orchestrator/mod.ts";
import { Store } from "../store/mod.ts";
import { DaemonModelClient } from "./_daemon_model_client.ts";
import { embedderFor } from "./_embedder.ts";
import { systemLogger } from "./_logger.ts";
import type { CliContext } from "./context.ts";
import { swarmRunTask } from "./_swarm_tasks.ts";

/**
 * The pipeline context. Memory is optional: when the database cannot be
 * opened, chat and ask still answer, and say once that memory is off. Web
 * searches (for turns whose intent needs the web) go through `runTask`.
 *
 * @param options.runTask @default through the daemon `client` answers through, if any,
 *   else through the local daemon when one answers, else here ({@linkcode swarmRunTask})
 */
export async function openTurnContext(
  config: Config,
  ctx: CliContext,
  client: ModelClient,
  options: { runTask?: RunTask } = {},
): Promise<TurnContext & Disposable> {
  let store: Store | null = null;
  try {
    store = Store.open(config.paths.databaseFile);
  } catch (error) {
    if (!isMycoError(error)) throw error;
    ctx.stderr.write(`warning: memory is off: ${error.message}\n`);
  }
  const { embedder } = await embedderFor(client);
  const logger = systemLogger(ctx);
  // A client that answers through the daemon already found it: no second lookup.
  const daemon = client instanceof DaemonModelClient ? client.daemon : undefined;
  const runTask = options.runTask ?? swarmRunTask(config, ctx, { daemon });
  const turns = new TurnContext({
    store,
    client,
    embedder,
    clock: ctx.clock,
    indexDir: config.paths.indexDir,
    logger,
    contextTokens: config.llm.contextTokens,
    web: new WebLookup({ runTask, logger }),
  });
  return Object.assign(turns, { [Symbol.dispose]: () => store?.close() });
}
