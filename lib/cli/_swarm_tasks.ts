/**
 * Web work through the swarm: when the local daemon runs, research queries and chat's web
 * searches go to it as tasks, and its router sends each to the best node (idle light nodes
 * first), so several searches fan out across machines. Without a daemon they run here.
 */

import type { Config } from "../config/mod.ts";
import type { Logger } from "../core/mod.ts";
import {
  localRunTask,
  nodeRunTask,
  type RunTask,
  webHandlerOptions,
  webHandlers,
} from "../orchestrator/mod.ts";
import { type Daemon, findDaemon } from "./_daemon.ts";
import type { CliContext } from "./context.ts";

/** Runs web_search and web_fetch here, with the config's providers, cache and SSRF policy. */
export function localWebTasks(config: Config, ctx: CliContext, logger: Logger): RunTask {
  const web = webHandlerOptions(config, { fetch: ctx.fetch, logger });
  return localRunTask(webHandlers({ fetch: ctx.fetch, web }), { clock: ctx.clock });
}

/**
 * A RunTask that uses the local daemon when one answers, else runs the task here.
 *
 * @param options.daemon the daemon, when the caller already looked (null: none runs); when
 *   absent it is looked for at the first task
 */
export function swarmRunTask(
  config: Config,
  ctx: CliContext,
  options: { logger?: Logger; daemon?: Daemon | null } = {},
): RunTask {
  const viaDaemon = (daemon: Daemon | null) =>
    daemon === null ? null : nodeRunTask(daemon.url, { fetch: ctx.fetch, token: daemon.token });
  let remote: Promise<RunTask | null> | null = options.daemon === undefined
    ? null
    : Promise.resolve(viaDaemon(options.daemon));
  const local = localWebTasks(config, ctx, options.logger ?? ctx.logger);
  return async (type, payload, run = {}) => {
    remote ??= findDaemon(config, ctx).then(({ daemon }) => viaDaemon(daemon));
    return await ((await remote) ?? local)(type, payload, run);
  };
}
