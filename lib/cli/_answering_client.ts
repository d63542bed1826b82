/**
 * The model client `ask` and `chat` answer with: through the local daemon when one runs
 * here with this home's token — each answer an `inference` task it routes to the node of
 * the swarm that fits, its model chosen among every node's — else straight to this
 * machine's model server.
 */

import type { Config } from "../config/mod.ts";
import { isReachable } from "../discovery/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import { nodeRunTask, SwarmModelClient, swarmModelList } from "../orchestrator/mod.ts";
import { type Daemon, daemonPeers, findDaemon } from "./_daemon.ts";
import { modelClientFor } from "./_setup.ts";
import type { CliContext } from "./context.ts";

/** Answers through `daemon`: the swarm's models, the daemon's router. */
export function daemonModelClient(
  config: Config,
  ctx: CliContext,
  daemon: Daemon,
): SwarmModelClient {
  return new SwarmModelClient(config.llm, ctx.fetch, {
    runTask: nodeRunTask(daemon.url, { fetch: ctx.fetch, token: daemon.token }),
    models: async () => {
      const peers = await daemonPeers(daemon).catch(() => []);
      return swarmModelList(daemon.identity, peers.filter((p) => isReachable(p.state)));
    },
    clock: ctx.clock,
    via: `the daemon on ${daemon.url}`,
    onNote: (note) => ctx.stderr.write(`note: ${note}\n`),
  });
}

/**
 * The model client for `ask` and `chat`, and the daemon it answers through (null: none
 * runs, and the answers come from this machine's model server; a daemon that refuses the
 * token is said once).
 */
export async function answeringClient(
  config: Config,
  ctx: CliContext,
): Promise<{ client: ModelClient; daemon: Daemon | null }> {
  const found = await findDaemon(config, ctx);
  if (found.daemon !== null) {
    return { client: daemonModelClient(config, ctx, found.daemon), daemon: found.daemon };
  }
  if (found.running) ctx.stderr.write(`warning: ${found.problem}; answering without it\n`);
  return { client: modelClientFor(config, ctx), daemon: null };
}
