/** `mycoswarm memory`: the facts mycoswarm remembers about you, and the session memories. */

import { createError } from "../core/mod.ts";
import {
  describeFacts,
  forgetFact,
  forgotLine,
  type PendingSession,
  pendingSessions,
  rememberedLine,
  rememberFact,
  TranscriptStore,
} from "../chat/mod.ts";
import { isStale } from "../memory/mod.ts";
import { Store } from "../store/mod.ts";
import { parseCommandArgs, stringFlag } from "./_args.ts";
import { configFor, writeJson } from "./_setup.ts";
import type { Command } from "./context.ts";

const HELP = `Usage: mycoswarm memory [--add TEXT] [--forget ID] [--stale] [--json]
       mycoswarm memory --sessions | --quarantined | --restore ID | --pending [--json]

Lists the facts mycoswarm remembers about you, adds one or forgets one (the
same as /remember, /memories, /forget and /stale in chat), and shows the
session memories: what each chat was about, its tone, lessons and grounding.

Options:
  --add TEXT    remember TEXT; the prefixes pref:, project: and temp: set its type
                (a temp: fact goes stale after 7 days, the others after 30 unused)
  --forget ID   forget fact ID (ids are never reused)
  --stale       list only the stale facts
  --sessions    list session memories (newest first) with their grounding
  --quarantined list session memories quarantined as self-reinforcing errors
  --restore ID  bring quarantined session memory ID back into recall
  --pending     list chat sessions not yet reflected on (the reflection failed or
                never ran): they are reflected at the next chat or ask, or by the daemon
  --json        print JSON
  -h, --help    show this help
`;

export const memoryCommand: Command = {
  name: "memory",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("memory", argv, {
      add: { type: "string" },
      forget: { type: "string" },
      stale: { type: "boolean" },
      json: { type: "boolean" },
      sessions: { type: "boolean" },
      quarantined: { type: "boolean" },
      restore: { type: "string" },
      pending: { type: "boolean" },
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
    const json = args.values.json === true;
    if (args.values.pending) {
      const pending = await pendingSessions(new TranscriptStore(config.paths.sessionsDir));
      if (json) writeJson(ctx, pending);
      else ctx.stdout.write(describePending(pending));
      return 0;
    }
    using store = Store.open(config.paths.databaseFile);
    if (add !== undefined || forget !== undefined) {
      const fact = add !== undefined
        ? rememberFact(store, ctx.clock, add)
        : forgetFact(store, forget!);
      if (json) writeJson(ctx, { action: add !== undefined ? "added" : "forgotten", fact });
      else ctx.stdout.write(`${add !== undefined ? rememberedLine(fact) : forgotLine(fact)}\n`);
      return 0;
    }
    const restore = stringFlag("memory", args.values, "restore");
    if (restore !== undefined) {
      const id = Number(restore);
      const row = Number.isInteger(id) ? store.episodes.get(id) : null;
      if (row === null) throw createError("not_found", `There is no session memory #${restore}`);
      if (!row.quarantined) throw createError("usage", `Session memory #${id} is not quarantined`);
      store.episodes.setQuarantined([id], false);
      if (json) writeJson(ctx, { action: "restored", session: store.episodes.get(id) });
      else ctx.stdout.write(`Restored session memory #${id}: ${row.summary}\n`);
      return 0;
    }
    if (args.values.sessions || args.values.quarantined) {
      const rows = store.episodes.list({ quarantined: args.values.quarantined === true });
      if (json) writeJson(ctx, rows);
      else if (rows.length === 0) {
        ctx.stdout.write(
          args.values.quarantined ? "Nothing is quarantined.\n" : "No session memories yet.\n",
        );
      } else {
        for (const r of rows) {
          const flags = [r.tone, `grounding ${Math.round(r.grounding * 100)}%`];
          if (!r.indexed) flags.push("not recalled");
          ctx.stdout.write(
            `#${r.id} ${r.ended_at.slice(0, 10)} (${flags.join(", ")}) ${r.summary}\n`,
          );
        }
      }
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

function describePending(pending: readonly PendingSession[]): string {
  if (pending.length === 0) return "No pending sessions: every chat was reflected on.\n";
  const width = Math.max(...pending.map((p) => p.name.length));
  const lines = pending.map((p) =>
    `${p.name.padEnd(width)}  from message ${p.first_unreflected + 1} ` +
    `(${p.unreflected_messages} waiting)  ${p.reason}${p.since ? ` (${p.since})` : ""}`
  );
  return `${lines.join("\n")}\nThey are reflected at the next chat or ask, or by the daemon.\n`;
}
