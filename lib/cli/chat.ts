/** `mycoswarm chat`: the interactive conversation, saved and resumable. */

import { createError, ERROR_CODES, isMycoError } from "../core/mod.ts";
import {
  ChatSession,
  checkSessionName,
  defaultSessionName,
  describeSessionEnd,
  endSession,
  LineReader,
  runRepl,
  type SessionEnd,
  TranscriptStore,
  unreflectedCount,
} from "../chat/mod.ts";
import { claimForChat, sweepPending } from "./_pending.ts";
import { parseCommandArgs, stringFlag } from "./_args.ts";
import { configFor, writeJson } from "./_setup.ts";
import { answeringClient } from "./_answering_client.ts";
import type { CliContext, Command } from "./context.ts";
import { openTurns } from "./_turns.ts";

const HELP =
  `Usage: mycoswarm chat [--model M] [--session NAME] [--resume] [--debug] [--list [--json]]

Talks with the model. Answers stream as they are written; the session is saved
after every answer under $MYCOSWARM_HOME/sessions/ and can be resumed. With a
daemon running on this machine, answers come from the best node of the swarm.

Options:
  -m, --model M      the model to use (default: the largest installed chat model)
  -s, --session NAME open session NAME, creating it if new
  -r, --resume       continue the most recent session
  -l, --list         list saved sessions and leave (with --json: as JSON)
  -d, --debug        show each message's intent, its timing and what memory recalled
  -h, --help         show this help

In the chat: /help, /model [name], /clear, /save, /remember <text>, /memories,
/forget N, /stale, /quit. Ctrl-C stops an answer,
Ctrl-C at the prompt or Ctrl-D leaves (the session is saved). When you leave,
the model reflects on the conversation; the reflection is checked against what
you said (grounding) and remembered for later chats. If it fails (the model
server is down), the session stays pending and is reflected the next time it is
resumed, or after the next chat or ask (mycoswarm memory --pending lists them).
A session open in one chat cannot be opened by another at the same time.
`;

export const chatCommand: Command = {
  name: "chat",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("chat", argv, {
      model: { type: "string", short: "m" },
      session: { type: "string", short: "s" },
      resume: { type: "boolean", short: "r" },
      list: { type: "boolean", short: "l" },
      json: { type: "boolean" },
      debug: { type: "boolean", short: "d" },
    });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const sessionName = stringFlag("chat", args.values, "session");
    if (sessionName !== undefined) checkSessionName(sessionName);
    if (sessionName !== undefined && args.values.resume) {
      throw createError("usage", "chat: use --session NAME or --resume, not both");
    }
    const modelFlag = stringFlag("chat", args.values, "model");
    const config = await configFor(ctx, { model: modelFlag });
    const store = new TranscriptStore(config.paths.sessionsDir);
    if (args.values.list) return listSessions(store, ctx, args.values.json === true);
    if (args.values.json) {
      throw createError("usage", "chat: --json goes with --list (see mycoswarm chat --help)");
    }

    const { client, daemon } = await answeringClient(config, ctx);
    const wanted = args.values.resume ? (await store.latest())?.name : sessionName;
    const name = wanted ?? defaultSessionName(ctx.clock.now());
    // Held while the chat runs: no other process reflects (or writes) this session meanwhile.
    using _claim = await claimForChat(store, name, ctx);
    const existing = wanted === undefined ? null : await store.load(name);
    if (args.values.resume && existing === null) {
      ctx.stderr.write("No saved session to resume; starting a new one.\n");
    }
    // A resumed session keeps its model unless --model (or config) says otherwise.
    const model = await client.chatModel(modelFlag ?? existing?.model ?? null).catch(
      async (error) => {
        if (!existing?.model || modelFlag || !isMycoError(error, "model_not_found")) throw error;
        const instead = await client.chatModel();
        ctx.stderr.write(
          `This session used ${existing.model}, which is no longer installed; using ${instead}.\n`,
        );
        return instead;
      },
    );
    using turns = await openTurns(config, ctx, { client, daemon });
    const deps = { client, store, clock: ctx.clock, turns };
    const session = existing
      ? new ChatSession({ ...existing, model }, deps)
      : ChatSession.create(name, model, deps);

    const interactive = ctx.isTerminal.stdin;
    if (interactive) {
      const resumed = existing ? `, resumed with ${existing.messages.length} messages` : "";
      const via = daemon === null ? "" : ` · via the swarm (${daemon.url})`;
      ctx.stdout.write(
        `mycoswarm chat · ${model}${via} · session ${session.transcript.name}${resumed}\n` +
          "Type /help for commands, /quit or Ctrl-D to leave.\n",
      );
    }
    const lines = new LineReader(ctx.stdin);
    let end;
    try {
      end = await runRepl(session, client, {
        lines,
        out: ctx.stdout,
        err: ctx.stderr,
        interactive,
        onInterrupt: ctx.onInterrupt,
        clock: ctx.clock,
        debug: args.values.debug === true,
      });
    } finally {
      await lines.close();
    }
    if (session.size > 0) {
      const path = await session.save();
      ctx.stderr.write(
        `Session saved to ${path} (${session.size} messages). ` +
          `Resume with: mycoswarm chat --session ${session.transcript.name}\n`,
      );
    }
    // This run's messages, and all of a resumed session whose reflection failed or never ran.
    let reflected = true;
    if (session.memory !== null && unreflectedCount(session) >= 2) {
      ctx.stderr.write("Reflecting on session... ");
      const ended = await endSession(session, client);
      if (ended) ctx.stderr.write(`${describeSessionEnd(ended)}\n${describeSpan(ended, session)}`);
      reflected = ended?.episode.ok !== false;
    }
    // Then other pending sessions, once the user has had every answer (not when the model
    // server failed just now: they would fail the same way).
    if (session.memory !== null && reflected && end.failedAnswers === 0) {
      await sweepPending(store, client, turns, ctx.stderr);
    }
    // A script feeding chat through a pipe learns from the exit code that answers failed.
    return !interactive && end.failedAnswers > 0 ? ERROR_CODES.model_failed.exit : 0;
  },
};

/** Says when more than this run was reflected on: a pending span, or one in parts. */
function describeSpan(end: SessionEnd, session: ChatSession): string {
  const earlier = end.from < session.runStart;
  if (!earlier && end.parts.length < 2) return "";
  const parts = end.parts.length > 1 ? `, in ${end.parts.length} parts` : "";
  return `  (reflected from message ${end.from + 1}${
    earlier ? ", pending from before" : ""
  }${parts})\n`;
}

async function listSessions(store: TranscriptStore, ctx: CliContext, json: boolean) {
  const sessions = await store.list();
  if (json) {
    writeJson(ctx, sessions);
    return 0;
  }
  if (sessions.length === 0) {
    ctx.stdout.write(`No saved sessions in ${store.dir}\n`);
    return 0;
  }
  for (const s of sessions) {
    ctx.stdout.write(
      s.ok
        ? `${s.name.padEnd(28)} ${
          String(s.message_count).padStart(4)
        } messages  ${s.updated}  ${s.model}\n`
        : `${s.name.padEnd(28)} damaged: ${s.error}\n`,
    );
  }
  return 0;
}
