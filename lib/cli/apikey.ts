/** `mycoswarm apikey`: keys of their own for the clients of the Ollama and OpenAI routes. */

import { createError } from "../core/mod.ts";
import { checkApiKeyName, createApiKey, readApiKeys, revokeApiKey } from "../node/mod.ts";
import { parseCommandArgs } from "./_args.ts";
import { configFor, writeJson } from "./_setup.ts";
import type { CliContext, Command } from "./context.ts";

const HELP = `Usage: mycoswarm apikey create NAME [--json]
       mycoswarm apikey list [--json]
       mycoswarm apikey revoke NAME [--json]

Keys for the clients of this node's Ollama (/api/) and OpenAI (/v1/) routes:
Home Assistant, Open WebUI, scripts. A client sends its key as
Authorization: Bearer <key>. A key opens only those routes, never the node
routes (/task, /peers, /status, /identity), which need the swarm token.

Commands:
  create NAME  make a key for NAME and print it once, on the last line
  list         list the keys: names and when they were made (never the keys)
  revoke NAME  remove a key; a running daemon refuses it within seconds

NAME is 1 to 40 lowercase letters, digits, '-' and '_' (e.g. home-assistant).

Options:
  --json       print JSON ({name, created, key, path} for create)
  -h, --help   show this help

Keys live in $MYCOSWARM_HOME/api-keys.json (mode 0600), which keeps only each
key's SHA-256, so a lost key cannot be shown again: revoke it and create another.
Clients on [api] trusted_networks need no key at all.
`;

const SUBCOMMANDS = ["create", "list", "revoke"];

export const apikeyCommand: Command = {
  name: "apikey",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("apikey", argv, { json: { type: "boolean" } }, {
      maxPositionals: 2,
    });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const [sub, name] = args.positionals;
    if (sub === undefined || !SUBCOMMANDS.includes(sub)) {
      throw createError(
        "usage",
        sub === undefined
          ? "apikey: say what to do: create NAME, list or revoke NAME (see mycoswarm apikey --help)"
          : `apikey: unknown command '${sub}' (create, list, revoke; see mycoswarm apikey --help)`,
      );
    }
    if (sub === "list" && name !== undefined) {
      throw createError("usage", `apikey list: unexpected argument '${name}'`);
    }
    if (sub !== "list" && name === undefined) {
      throw createError("usage", `apikey ${sub}: which key? (mycoswarm apikey ${sub} NAME)`);
    }
    const path = (await configFor(ctx)).paths.apiKeysFile;
    const json = args.values.json === true;
    if (sub === "list") return await list(ctx, path, json);
    if (sub === "create") {
      const { key, record } = await createApiKey(path, checkApiKeyName(name!), {
        clock: ctx.clock,
      });
      if (json) writeJson(ctx, { name: record.name, created: record.created, key, path });
      else {
        ctx.stdout.write(
          `Created API key '${record.name}'. It is shown only now: give it to the client as\n` +
            "Authorization: Bearer <key> (it opens the Ollama /api/ and OpenAI /v1/ routes).\n" +
            `${key}\n`,
        );
      }
      return 0;
    }
    const record = await revokeApiKey(path, name!);
    if (json) writeJson(ctx, { name: record.name, created: record.created, revoked: true });
    else {
      ctx.stdout.write(
        `Revoked API key '${record.name}'. A running daemon refuses it within seconds.\n`,
      );
    }
    return 0;
  },
};

async function list(ctx: CliContext, path: string, json: boolean): Promise<number> {
  const keys = await readApiKeys(path);
  if (json) {
    writeJson(ctx, keys.map(({ name, created }) => ({ name, created })));
    return 0;
  }
  if (keys.length === 0) {
    ctx.stdout.write("No API keys. Make one with: mycoswarm apikey create NAME\n");
    return 0;
  }
  const width = Math.max(4, ...keys.map((k) => k.name.length));
  ctx.stdout.write(`${"NAME".padEnd(width)}  CREATED\n`);
  for (const key of keys) ctx.stdout.write(`${key.name.padEnd(width)}  ${key.created}\n`);
  return 0;
}
