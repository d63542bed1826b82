/** `mycoswarm token`: print (or replace) the swarm token. */

import { ensureSwarmToken, readSwarmToken, rotateSwarmToken } from "../node/mod.ts";
import { parseCommandArgs } from "./_args.ts";
import { configFor, writeJson } from "./_setup.ts";
import type { Command } from "./context.ts";

const HELP = `Usage: mycoswarm token [--rotate] [--json]

Prints this node's swarm token, creating it if there is none. Every node of a
swarm has the same token: it signs discovery announcements and unlocks the node
API. Give it to another node with: mycoswarm join <token>

Options:
  --rotate     replace the token with a new one (every other node then needs it)
  --json       print {token, path, created, rotated}
  -h, --help   show this help

The token lives in $MYCOSWARM_HOME/swarm-token with mode 0600. Keep it secret:
anyone with it can run work on your nodes.
`;

export const tokenCommand: Command = {
  name: "token",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("token", argv, {
      rotate: { type: "boolean" },
      json: { type: "boolean" },
    });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const config = await configFor(ctx);
    const path = config.paths.swarmTokenFile;
    const logger = ctx.logger;
    const rotated = args.values.rotate === true;
    let token: string;
    let created = false;
    if (rotated) {
      const had = await readSwarmToken(path).catch(() => "damaged");
      token = await rotateSwarmToken(path);
      created = had === null;
    } else {
      ({ token, created } = await ensureSwarmToken(path, { logger }));
    }
    if (args.values.json) writeJson(ctx, { token, path, created, rotated });
    else ctx.stdout.write(`${token}\n`);
    if (created) ctx.stderr.write(`A new swarm token was created in ${path}.\n`);
    if (rotated && !created) {
      ctx.stderr.write(
        `The swarm token in ${path} was replaced. Peers need the new one: run ` +
          "`mycoswarm join <token>` on every other node, then restart the daemons (this one too).\n",
      );
    }
    return 0;
  },
};
