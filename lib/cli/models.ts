/** `mycoswarm models`: the models of the swarm (or of this machine), each with its role. */

import type { Config } from "../config/mod.ts";
import { redactUrl } from "../core/mod.ts";
import {
  isEmbeddingModel,
  type ModelInfo,
  parameterBillions,
  pickRoles,
  rolesOf,
} from "../llm/mod.ts";
import { parseCommandArgs } from "./_args.ts";
import { isReachable } from "../discovery/mod.ts";
import { swarmModelList } from "../orchestrator/mod.ts";
import { type Daemon, daemonPeers, findDaemon } from "./_daemon.ts";
import { configFor, formatBytes, modelClientFor, writeJson } from "./_setup.ts";
import type { CliContext, Command } from "./context.ts";

const HELP = `Usage: mycoswarm models [--json]

Lists the models, their size, the role each is picked for — chat (the largest
chat model), gate (a small, fast classifier) and embedding (nomic-embed-text or
another *embed* model) — and, when a daemon runs on this machine, the nodes of
the swarm that have each. Without a daemon, this machine's model server only.

Options:
  --json       print {server, roles, models: [{name, size_bytes, parameters_b, kind,
               roles, nodes?}]} (nodes: [{node_id, hostname, self}] with a daemon)
  -h, --help   show this help
`;

/** One model row. */
interface ModelRow {
  name: string;
  size_bytes: number | null;
  parameters_b: number | null;
  kind: "chat" | "embedding";
  roles: string[];
  nodes?: { node_id: string; hostname: string; self: boolean }[];
}

export const modelsCommand: Command = {
  name: "models",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("models", argv, { json: { type: "boolean" } });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const config = await configFor(ctx);
    const json = args.values.json === true;
    const found = await findDaemon(config, ctx);
    if (found.daemon !== null) return await swarmModels(found.daemon, config, ctx, json);
    ctx.stderr.write(
      found.running
        ? `note: ${found.problem}; listing this machine's model server only\n`
        : `note: no daemon runs on ${found.url}, so only this machine's models ` +
          "are listed (`mycoswarm daemon` shows the swarm's)\n",
    );
    const client = modelClientFor(config, ctx);
    const [{ server, models }, roles] = await Promise.all([client.listing(), client.roles()]);
    const rows = models.map((m) => row(m, rolesOf(m.name, roles)));
    if (json) {
      writeJson(ctx, {
        server: { url: redactUrl(server.url), kind: server.kind, version: server.version },
        roles,
        models: rows,
      });
      return 0;
    }
    ctx.stdout.write(`${server.kind} at ${redactUrl(server.url)}: ${rows.length} models\n`);
    for (const r of rows) ctx.stdout.write(`${line(r)}\n`);
    return 0;
  },
};

/** The swarm's models: the daemon's node's (with sizes), then its live peers'. */
async function swarmModels(daemon: Daemon, config: Config, ctx: CliContext, json: boolean) {
  const peers = (await daemonPeers(daemon)).filter((p) => isReachable(p.state));
  const models = swarmModelList(daemon.identity, peers);
  const { chatModel, gateModel, embeddingModel } = config.llm;
  const roles = pickRoles(models, {
    chat: chatModel,
    gate: gateModel,
    embedding: embeddingModel,
  });
  const rows = models.map((m) => ({ ...row(m, rolesOf(m.name, roles)), nodes: m.nodes }));
  if (json) {
    const { url, kind, version } = daemon.identity.model_server;
    writeJson(ctx, { daemon: daemon.url, server: { url, kind, version }, roles, models: rows });
    return 0;
  }
  const nodeCount = peers.length + 1;
  ctx.stdout.write(
    `${rows.length} model${rows.length === 1 ? "" : "s"} on ${nodeCount} node${
      nodeCount === 1 ? "" : "s"
    } (the swarm, via the daemon on ${daemon.url})\n`,
  );
  for (const r of rows) {
    const where = r.nodes.map((n) => `${n.hostname}${n.self ? " *" : ""}`).join(", ");
    ctx.stdout.write(`${line(r, 16)}  ${where}\n`);
  }
  return 0;
}

function row(m: ModelInfo, roles: string[]): ModelRow {
  return {
    name: m.name,
    size_bytes: m.size_bytes ?? null,
    parameters_b: parameterBillions(m),
    kind: isEmbeddingModel(m) ? "embedding" : "chat",
    roles,
  };
}

function line(r: ModelRow, rolesWidth = 0): string {
  return `  ${r.name.padEnd(32)} ${formatBytes(r.size_bytes ?? undefined).padStart(8)}  ` +
    `${r.kind.padEnd(9)}  ${r.roles.join(", ").padEnd(rolesWidth)}`;
}
