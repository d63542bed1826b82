/** Memory for `ask` and `chat`: the pipeline context, its web lookups through the swarm. */

import { openTurnContext, type TurnContext } from "../chat/mod.ts";
import type { Config } from "../config/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { Daemon } from "./_daemon.ts";
import { swarmRunTask } from "./_swarm_tasks.ts";
import type { CliContext } from "./context.ts";

/**
 * Opens the pipeline context; its web searches go through `daemon` when one runs, else
 * they run here. A database that cannot be opened turns memory off, said once.
 */
export function openTurns(
  config: Config,
  ctx: CliContext,
  options: { client: ModelClient; daemon: Daemon | null },
): Promise<TurnContext & Disposable> {
  return openTurnContext(config, options.client, {
    runTask: swarmRunTask(config, ctx, { daemon: options.daemon }),
    clock: ctx.clock,
    logger: ctx.logger,
    onMemoryOff: (why) => ctx.stderr.write(`warning: memory is off: ${why}\n`),
  });
}
