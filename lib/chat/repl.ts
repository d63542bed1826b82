/** The interactive chat loop: read a line, run a slash command or stream an answer, repeat. */

import { type Clock, isMycoError, type TextSink } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { ChatSession } from "./chat_session.ts";
import type { LineReader } from "./line_reader.ts";
import { parseSlashCommand } from "./slash_commands.ts";
import { runSlashCommand } from "./slash_handlers.ts";
import type { Intent } from "../intent/mod.ts";
import { sourcesFooter } from "./prompt_assembly.ts";
import { describeTurn } from "./pipeline.ts";

/** What the REPL talks to. */
export interface ReplIo {
  /** The user's input lines. */
  lines: LineReader;
  /** Where answers go. */
  out: TextSink;
  /** Where errors, notes and debug lines go. */
  err: TextSink;
  /** Show a prompt before each line (only when a person types). */
  interactive: boolean;
  /** Subscribes to Ctrl-C; returns the unsubscribe function. */
  onInterrupt(handler: () => void): () => void;
  /** Times the exchanges. */
  clock: Clock;
  /** Show each message's intent and recall on stderr. */
  debug?: boolean;
}

/** How a chat ended, and how many answers failed on the way. */
export interface ReplEnd {
  /** What ended it: /quit, end of input (Ctrl-D) or Ctrl-C at the prompt. */
  reason: "quit" | "end-of-input" | "interrupt";
  /** How many answers failed (for the exit code). */
  failedAnswers: number;
}

/**
 * Runs the chat until /quit, Ctrl-D (end of input) or Ctrl-C at the prompt.
 * The session is saved after every answer and once more at the end.
 */
export async function runRepl(
  session: ChatSession,
  client: ModelClient,
  io: ReplIo,
): Promise<ReplEnd> {
  let answering: AbortController | null = null;
  let failures = 0;
  let debug = io.debug === true;
  const notesShown = new Set<string>(); // each degradation is said once per chat
  const end = (reason: ReplEnd["reason"]): ReplEnd => ({ reason, failedAnswers: failures });
  let wakePrompt: (() => void) | null = null;
  const stopInterrupts = io.onInterrupt(() => {
    if (answering) answering.abort();
    else wakePrompt?.();
  });
  const promptInterrupted = () =>
    new Promise<"interrupt">((resolve) => {
      wakePrompt = () => resolve("interrupt");
    });
  try {
    while (true) {
      if (io.interactive) io.out.write("\n› ");
      const line = await Promise.race([io.lines.next(), promptInterrupted()]);
      wakePrompt = null;
      if (line === "interrupt") {
        io.out.write("\n");
        return end("interrupt");
      }
      if (line === null) {
        if (io.interactive) io.out.write("\n");
        return end("end-of-input");
      }
      if (line.trim() === "") continue;
      let question = line;
      let intent: Intent | undefined;
      const command = parseSlashCommand(line);
      if (command !== null) {
        let outcome;
        try {
          outcome = await runSlashCommand(command.name, command.arg, {
            session,
            client,
            out: io.out,
            debug,
          });
        } catch (error) {
          if (!isMycoError(error)) throw error;
          io.err.write(`${error.message}\n${error.hint ? error.hint + "\n" : ""}`);
          continue;
        }
        if (outcome.kind === "quit") return end("quit");
        if (outcome.kind === "debug") debug = outcome.on;
        if (outcome.kind !== "ask") continue;
        question = outcome.text;
        intent = outcome.intent;
      }
      answering = new AbortController();
      const result = await session.send(question, {
        onText: (piece) => io.out.write(piece),
        signal: answering.signal,
        ...(intent ? { intent } : {}),
      });
      answering = null;
      io.out.write("\n");
      if (result.turn) {
        const footer = sourcesFooter(result.text, result.turn.prompt.sources);
        if (footer && result.text !== "") io.out.write(`${footer}\n`);
        if (debug) io.err.write(`${describeTurn(result.turn)}\n`);
        for (const note of [result.turn.decision.note, ...(result.turn.recalled?.notes ?? [])]) {
          if (note && !notesShown.has(note)) {
            notesShown.add(note);
            io.err.write(`note: ${note}\n`);
          }
        }
      }
      if (result.error !== null) {
        failures++;
        io.err.write(`[answer cut off] ${messageOf(result.error)}\n`);
      } else if (result.interrupted) {
        io.err.write("[answer stopped]\n");
      }
      if (result.saveError !== null) io.err.write(`[not saved] ${messageOf(result.saveError)}\n`);
    }
  } finally {
    stopInterrupts();
  }
}

function messageOf(error: unknown): string {
  return isMycoError(error) ? error.message : String(error);
}
