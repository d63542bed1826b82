/** Opens memory for chat and ask: the database, the embedding model and the pipeline context. */

import { TurnContext, WebLookup } from "../chat/mod.ts";
import type { Config } from "../config/mod.ts";
import { isMycoError, type Logger } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import { localRunTask, type RunTask, webHandlerOptions, webHandlers } from "../orchestrator/mod.ts";
import { Store } from "../store/mod.ts";
import { embedderFor } from "./_embedder.ts";
import { systemLogger } from "./_logger.ts";
import type { CliContext } from "./context.ts";
import { swarmRunTask } from "./_swarm_tasks.ts";

/**
 * The pipeline context. Memory is optional: when the database cannot be
 * opened, chat and ask still answer, and say once that memory is off. Web
 * searches (for turns whose intent needs the web) go through `runTask`.
 *
 * @param options.runTask @default the web tasks run here, in process
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
  const runTask = options.runTask ?? swarmRunTask(config, ctx);
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

/** Runs web_search and web_fetch here, with the config's providers, cache and SSRF policy. */
export function localWebTasks(config: Config, ctx: CliContext, logger?: Logger): RunTask {
  const web = webHandlerOptions(config, { fetch: ctx.fetch, logger });
  return localRunTask(webHandlers({ fetch: ctx.fetch, web }), { clock: ctx.clock });
}
