/**
 * Web work through the swarm: when the local daemon runs, research queries and
 * chat's web searches go to it as tasks, and its router sends each to the best
 * node (idle light nodes first), so several searches fan out across machines.
 * Without a daemon they run here.
 */

import type { Config } from "../config/mod.ts";
import type { Logger } from "../core/mod.ts";
import { nodeRunTask, type RunTask } from "../orchestrator/mod.ts";
import { findDaemon } from "./_daemon.ts";
import { localWebTasks } from "./_memory.ts";
import type { CliContext } from "./context.ts";

/** A RunTask that uses the local daemon when one answers, else runs the task here. */
export function swarmRunTask(config: Config, ctx: CliContext, logger?: Logger): RunTask {
  let remote: Promise<RunTask | null> | null = null;
  const local = localWebTasks(config, ctx, logger);
  return async (type, payload, options = {}) => {
    remote ??= findDaemon(config, ctx).then(({ daemon }) =>
      daemon === null
        ? null
        : nodeRunTask(daemon.url, { fetch: ctx.fetch, token: daemon.token }, "web_unavailable")
    );
    const run = (await remote) ?? local;
    return await run(type, payload, {
      ...options,
      priority: options.priority ?? 7,
      timeoutSeconds: options.timeoutSeconds ?? 60,
    });
  };
}
