/**
 * Web work through the swarm: when the local daemon runs, research queries and
 * chat's web searches go to it as tasks, and its router sends each to the best
 * node (idle light nodes first), so several searches fan out across machines.
 * Without a daemon they run here.
 */

import type { Config } from "../config/mod.ts";
import { createError, type Logger } from "../core/mod.ts";
import { openTaskStream, postTask, type RunTask } from "../orchestrator/mod.ts";
import { type Daemon, findDaemon } from "./_daemon.ts";
import { localWebTasks } from "./_memory.ts";
import type { CliContext } from "./context.ts";

/** A RunTask that uses the local daemon when one answers, else runs the task here. */
export function swarmRunTask(config: Config, ctx: CliContext, logger?: Logger): RunTask {
  let daemon: Promise<Daemon | null> | null = null;
  const local = localWebTasks(config, ctx, logger);
  return async (type, payload, options = {}) => {
    daemon ??= findDaemon(config, ctx).then((found) => found.daemon);
    const found = await daemon;
    if (found === null) return local(type, payload, options);
    const call = { fetch: ctx.fetch, token: found.token, signal: options.signal };
    const accepted = await postTask(found.url, {
      task_type: type,
      payload,
      priority: options.priority ?? 7,
      timeout_seconds: options.timeoutSeconds ?? 60,
    }, call);
    for await (const event of await openTaskStream(found.url, accepted.task_id, call)) {
      if (!event.done) continue;
      if (event.error) {
        throw createError(
          "web_unavailable",
          `${type} on ${event.node_id ?? accepted.node_id}: ${event.error}`,
        );
      }
      return event.result;
    }
    throw createError("web_unavailable", `${type}: the daemon's stream ended without a result`);
  };
}
