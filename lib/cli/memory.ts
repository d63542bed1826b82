/** `mycoswarm memory`: the facts mycoswarm remembers about you. */

import { createError } from "../core/mod.ts";
import {
  describeFacts,
  forgetFact,
  forgotLine,
  rememberedLine,
  rememberFact,
} from "../chat/fact_commands.ts";
import { isStale } from "../memory/facts.ts";
import { Store } from "../store/mod.ts";
import { parseCommandArgs, stringFlag } from "./_args.ts";
import { configFor, writeJson } from "./_setup.ts";
import type { Command } from "./context.ts";

const HELP = `Usage: mycoswarm memory [--add TEXT] [--forget ID] [--stale] [--json]

Lists the facts mycoswarm remembers about you, adds one or forgets one. The
same as /remember, /memories, /forget and /stale in chat.

Options:
  --add TEXT    remember TEXT; the prefixes pref:, project: and temp: set its type
                (a temp: fact goes stale after 7 days, the others after 30 unused)
  --forget ID   forget fact ID (ids are never reused)
  --stale       list only the stale facts
  --json        print JSON
  -h, --help    show this help
`;

export const memoryCommand: Command = {
  name: "memory",
  summary: "the facts mycoswarm remembers: list, --add, --forget",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("memory", argv, {
      add: { type: "string" },
      forget: { type: "string" },
      stale: { type: "boolean" },
      json: { type: "boolean" },
    });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const add = stringFlag("memory", args.values, "add");
    const forget = stringFlag("memory", args.values, "forget");
    if (add !== undefined && forget !== undefined) {
      throw createError("usage", "memory: use --add or --forget, not both");
    }
    const config = await configFor(ctx);
    using store = Store.open(config.paths.databaseFile);
    const json = args.values.json === true;
    if (add !== undefined || forget !== undefined) {
      const fact = add !== undefined
        ? rememberFact(store, ctx.clock, add)
        : forgetFact(store, forget!);
      if (json) writeJson(ctx, { action: add !== undefined ? "added" : "forgotten", fact });
      else ctx.stdout.write(`${add !== undefined ? rememberedLine(fact) : forgotLine(fact)}\n`);
      return 0;
    }
    const now = ctx.clock.now();
    const facts = store.facts.list();
    if (json) {
      writeJson(
        ctx,
        facts.map((f) => ({ ...f, stale: isStale(f, now) }))
          .filter((f) => !args.values.stale || f.stale),
      );
    } else ctx.stdout.write(`${describeFacts(facts, now, args.values.stale === true)}\n`);
    return 0;
  },
};
