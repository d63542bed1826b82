/** `mycoswarm join <token>`: take another node's swarm token, to be part of its swarm. */

import { createError } from "../core/mod.ts";
import { readSwarmToken, writeSwarmToken } from "../node/mod.ts";
import { parseCommandArgs } from "./_args.ts";
import { configFor } from "./_setup.ts";
import type { CliContext, Command } from "./context.ts";

const HELP = `Usage: mycoswarm join <token>
       mycoswarm join -          (reads the token from stdin, keeping it out of ps and history)

Makes this node part of a swarm: writes the swarm's token (from \`mycoswarm token\`
on any node of it) to $MYCOSWARM_HOME/swarm-token with mode 0600. Copying that
file does the same. Restart the daemon if it runs.

Options:
  -h, --help   show this help
`;

export const joinCommand: Command = {
  name: "join",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("join", argv, {}, { maxPositionals: 1 });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const given = args.positionals[0];
    if (given === undefined) {
      throw createError(
        "usage",
        "join: give the swarm token, e.g. mycoswarm join 3f9a…c2 " +
          "(run `mycoswarm token` on a node of the swarm to see it)",
      );
    }
    const text = given === "-" ? await readStdin(ctx) : given;
    const config = await configFor(ctx);
    const path = config.paths.swarmTokenFile;
    const before = await readSwarmToken(path).catch(() => null);
    const token = await writeSwarmToken(path, text);
    const what = before === token
      ? "This node already had that token"
      : before === null
      ? "Joined the swarm"
      : "Joined the swarm (the previous token was replaced)";
    ctx.stdout.write(
      `${what}: ${path} (mode 0600). Restart the daemon if it runs.\n`,
    );
    return 0;
  },
};

async function readStdin(ctx: CliContext): Promise<string> {
  return (await new Response(ctx.stdin).text()).trim();
}
