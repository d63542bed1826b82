/**
 * Web work through the swarm: when the local daemon runs, research queries and
 * chat's web searches go to it as tasks, and its router sends each to the best
 * node (idle light nodes first), so several searches fan out across machines.
 * Without a daemon they run here.
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
export function localWebTasks(config: Config, ctx: CliContext, logger?: Logger): RunTask {
  const web = webHandlerOptions(config, { fetch: ctx.fetch, logger });
  return localRunTask(webHandlers({ fetch: ctx.fetch, web }), { clock: ctx.clock });
}

/**
 * A RunTask that uses the local daemon when one answers, else runs the task here.
 *
 * @param options.daemon the daemon, when the caller already found it (no second lookup)
 */
export function swarmRunTask(
  config: Config,
  ctx: CliContext,
  options: { logger?: Logger; daemon?: Daemon | undefined } = {},
): RunTask {
  const viaDaemon = (daemon: Daemon | null) =>
    daemon === null
      ? null
      : nodeRunTask(daemon.url, { fetch: ctx.fetch, token: daemon.token }, "web_unavailable");
  let remote: Promise<RunTask | null> | null = options.daemon
    ? Promise.resolve(viaDaemon(options.daemon))
    : null;
  const local = localWebTasks(config, ctx, options.logger);
  return async (type, payload, run = {}) => {
    remote ??= findDaemon(config, ctx).then(({ daemon }) => viaDaemon(daemon));
    const runTask = (await remote) ?? local;
    return await runTask(type, payload, {
      ...run,
      priority: run.priority ?? 7,
      timeoutSeconds: run.timeoutSeconds ?? 60,
    });
  };
}
