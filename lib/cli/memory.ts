/** `mycoswarm memory`: the facts mycoswarm remembers about you, and the session memories. */

import { createError } from "../core/mod.ts";
import {
  describeFacts,
  forgetFact,
  forgotLine,
  heldBackLine,
  type PendingSession,
  pendingSessions,
  rememberedLine,
  rememberFact,
  TranscriptStore,
} from "../chat/mod.ts";
import { claimsOf, isStale, vouchedClaims } from "../memory/mod.ts";
import { type Episode, Store } from "../store/mod.ts";
import { parseCommandArgs, stringFlag } from "./_args.ts";
import { configFor, writeJson } from "./_setup.ts";
import type { CliContext, Command } from "./context.ts";

const HELP = `Usage: mycoswarm memory [--add TEXT] [--forget ID] [--stale] [--json]
       mycoswarm memory --sessions | --quarantined | --restore ID | --pending [--json]

Lists the facts mycoswarm remembers about you, adds one or forgets one (the
same as /remember, /memories, /forget and /stale in chat), and shows the
session memories: what each chat was about, its tone, lessons and grounding
(the share of its claims found in what was said), and the claims held back
from recall with the reason ("Zorblax never came up").

Options:
  --add TEXT    remember TEXT; the prefixes pref:, project: and temp: set its type
                (a temp: fact goes stale after 7 days, the others after 30 unused)
  --forget ID   forget fact ID (ids are never reused)
  --stale       list only the stale facts
  --sessions    list session memories (newest first) with their grounding
  --quarantined list session memories with claims quarantined as self-reinforcing
                errors (an unverified claim repeated by another session)
  --restore ID  bring session memory ID (or claim cID, e.g. c12) back into recall
                for good: a restored claim is never quarantined again
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
    if (restore !== undefined) return restoreMemory(store, restore, json, ctx);
    if (args.values.sessions || args.values.quarantined) {
      const rows = store.episodes.list({ quarantined: args.values.quarantined === true });
      if (json) writeJson(ctx, rows.map(sessionJson));
      else if (rows.length === 0) {
        ctx.stdout.write(
          args.values.quarantined ? "Nothing is quarantined.\n" : "No session memories yet.\n",
        );
      } else {
        for (const r of rows) ctx.stdout.write(`${describeSession(r)}\n`);
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

/** A session as `--sessions --json` shows it: the episode with its claims' verdicts. */
function sessionJson(r: Episode) {
  const { claims: _rows, recall_text: _text, ...episode } = r;
  return {
    ...episode,
    claims: claimsOf(r).map((c) => {
      const row = r.claims.find((x) => x.id === c.id);
      return {
        id: c.ref,
        kind: c.kind,
        text: c.text,
        grounded: row ? row.grounded : c.recalled,
        reason: c.reason,
        quarantined: row?.quarantined ?? false,
        restored: row?.restored ?? false,
      };
    }),
  };
}

/** One session and, under it, its held-back claims. */
function describeSession(r: Episode): string {
  const flags = [r.tone, `grounding ${Math.round(r.grounding * 100)}%`];
  if (!r.indexed) flags.push("not recalled");
  const lines = [`#${r.id} ${r.ended_at.slice(0, 10)} (${flags.join(", ")}) ${r.summary}`];
  for (const c of claimsOf(r)) {
    if (!c.recalled) lines.push(`${heldBackLine(c.text, c.reason)} [#${c.ref}]`);
  }
  return lines.join("\n");
}

/** `--restore ID`: a session (its quarantine and its quarantined claims) or one claim (cID). */
function restoreMemory(store: Store, given: string, json: boolean, ctx: CliContext): number {
  // As the listings name them: "#c12", "c12", "#3" or "3".
  const ref = given.trim().replace(/^#/, "");
  const claimId = /^c(\d+)$/i.exec(ref);
  if (claimId) {
    const claim = store.episodes.claims.get(Number(claimId[1]));
    if (claim === null) throw createError("not_found", `There is no claim #${ref}`);
    if (claim.grounded || claim.restored) {
      throw createError("usage", `Claim #${ref} is already recalled; nothing to restore`);
    }
    store.episodes.restoreClaims([claim.id]);
    if (json) writeJson(ctx, { action: "restored", claim: store.episodes.claims.get(claim.id) });
    else ctx.stdout.write(`Restored claim #c${claim.id}: ${claim.text}\n`);
    return 0;
  }
  const id = Number(ref);
  const row = Number.isInteger(id) ? store.episodes.get(id) : null;
  if (row === null) throw createError("not_found", `There is no session memory #${ref}`);
  if (row.claims.length === 0 && !claimsOf(row).some((c) => c.recalled)) {
    // Stored before claims, held back or quarantined whole: the user vouches for all of it.
    store.episodes.restoreUnclaimed(id, vouchedClaims(row));
  } else {
    const quarantinedClaims = row.claims.filter((c) => c.quarantined).map((c) => c.id);
    if (!row.quarantined && quarantinedClaims.length === 0) {
      throw createError("usage", `Session memory #${id} is not quarantined`);
    }
    store.episodes.setQuarantined([id], false);
    store.episodes.restoreClaims(quarantinedClaims);
  }
  if (json) writeJson(ctx, { action: "restored", session: sessionJson(store.episodes.get(id)!) });
  else ctx.stdout.write(`Restored session memory #${id}: ${row.summary}\n`);
  return 0;
}

function describePending(pending: readonly PendingSession[]): string {
  if (pending.length === 0) return "No pending sessions: every chat was reflected on.\n";
  const width = Math.max(...pending.map((p) => p.name.length));
  const lines = pending.map((p) =>
    `${p.name.padEnd(width)}  from message ${p.first_unreflected + 1} ` +
    `(${p.unreflected_messages} waiting)  ${p.reason}${p.since ? ` (${p.since})` : ""}` +
    (p.attempts > 1 ? `, failed ${p.attempts} times in a row: retried ever more rarely` : "")
  );
  return `${lines.join("\n")}\nThey are reflected at the next chat or ask, or by the daemon.\n`;
}
