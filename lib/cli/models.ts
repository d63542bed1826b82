/** `mycoswarm models`: the installed models and the job each is picked for. */

import { isEmbeddingModel, parameterBillions, rolesOf } from "../llm/mod.ts";
import { parseCommandArgs } from "./_args.ts";
import { configFor, formatBytes, modelClientFor, writeJson } from "./_setup.ts";
import type { Command } from "./context.ts";

const HELP = `Usage: mycoswarm models [--json]

Lists the models installed on the model server, their size, and the role each
is picked for: chat (the largest chat model), gate (a small, fast classifier)
and embedding (nomic-embed-text or another *embed* model).

Options:
  --json       print {server, models: [{name, size_bytes, parameters_b, kind, roles}]}
  -h, --help   show this help
`;

export const modelsCommand: Command = {
  name: "models",
  summary: "list installed models and their roles",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("models", argv, { json: { type: "boolean" } });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const config = await configFor(ctx);
    const client = modelClientFor(config, ctx);
    const [{ server, models }, roles] = await Promise.all([client.listing(), client.roles()]);
    const rows = models.map((m) => ({
      name: m.name,
      size_bytes: m.size_bytes ?? null,
      parameters_b: parameterBillions(m),
      kind: isEmbeddingModel(m) ? "embedding" : "chat",
      roles: rolesOf(m.name, roles),
    }));
    if (args.values.json) {
      writeJson(ctx, {
        server: { url: server.url, kind: server.kind, version: server.version },
        roles,
        models: rows,
      });
      return 0;
    }
    ctx.stdout.write(`${server.kind} at ${server.url}: ${rows.length} models\n`);
    for (const row of rows) {
      ctx.stdout.write(
        `  ${row.name.padEnd(32)} ${formatBytes(row.size_bytes ?? undefined).padStart(8)}  ` +
          `${row.kind.padEnd(9)}  ${row.roles.join(", ")}\n`,
      );
    }
    return 0;
  },
};
