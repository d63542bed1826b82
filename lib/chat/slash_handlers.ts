/** What each chat slash command does. Output goes to the REPL's sinks. */

import { createError, type TextSink } from "../core/mod.ts";
import type { Intent } from "../intent/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { Store } from "../store/mod.ts";
import type { ChatSession } from "./chat_session.ts";
import {
  describeFacts,
  forgetFact,
  forgotLine,
  rememberedLine,
  rememberFact,
} from "./fact_commands.ts";
import { slashHelpText } from "./slash_commands.ts";

/** What the REPL does next: leave, carry on, or ask the model something. */
export type SlashOutcome =
  | { kind: "quit" }
  | { kind: "done" }
  | { kind: "ask"; text: string; intent: Intent }
  | { kind: "debug"; on: boolean };

/** What a slash command can reach. */
export interface SlashContext {
  session: ChatSession;
  client: ModelClient;
  out: TextSink;
  debug: boolean;
}

const DONE: SlashOutcome = { kind: "done" };

/** Runs one slash command. Throws MycoError for bad arguments (the REPL prints them). */
export async function runSlashCommand(
  name: string,
  arg: string,
  ctx: SlashContext,
): Promise<SlashOutcome> {
  const { session, client, out } = ctx;
  switch (name) {
    case "quit":
      return { kind: "quit" };
    case "help":
      out.write(slashHelpText());
      return DONE;
    case "clear":
      await session.clear();
      out.write("Conversation cleared.\n");
      return DONE;
    case "save":
      out.write(`Saved ${session.size} messages to ${await session.save()}\n`);
      return DONE;
    case "debug":
      out.write(`Debug output ${ctx.debug ? "off" : "on"}.\n`);
      return { kind: "debug", on: !ctx.debug };
    case "model": {
      if (arg === "") {
        const { models } = await client.listing();
        const list = models.map((m) => (m.name === session.model ? `* ${m.name}` : `  ${m.name}`));
        out.write(`Model: ${session.model}\n${list.join("\n")}\n`);
        return DONE;
      }
      session.model = await client.chatModel(arg);
      out.write(`Model: ${session.model}\n`);
      return DONE;
    }
    case "rag":
      if (arg === "") throw createError("usage", "Ask what? /rag <question about your documents>");
      return { kind: "ask", text: arg, intent: { tool: "rag", mode: "explore", scope: "docs" } };
    default:
      return memoryCommand(name, arg, ctx);
  }
}

function memoryCommand(name: string, arg: string, ctx: SlashContext): SlashOutcome {
  const memory = ctx.session.memory;
  const known = ["remember", "memories", "forget", "stale", "library", "procedure"];
  if (!known.includes(name)) {
    throw createError("usage", `Unknown command '/${name}'. Type /help for the list.`);
  }
  if (memory === null) {
    throw createError(
      "storage_failed",
      "Memory is not available in this chat (the database could not be opened).",
    );
  }
  const clock = ctx.session.turns.clock;
  const now = clock.now();
  const line = name === "remember"
    ? rememberedLine(rememberFact(memory, clock, arg))
    : name === "forget"
    ? forgotLine(forgetFact(memory, arg))
    : name === "library"
    ? describeLibrary(memory)
    : name === "procedure"
    ? procedureCommand(memory, arg, now)
    : describeFacts(memory.facts.list(), now, name === "stale");
  ctx.out.write(`${line}\n`);
  return DONE;
}

function describeLibrary(store: Store): string {
  const documents = store.library.listDocuments();
  if (documents.length === 0) {
    return "The library is empty. Add documents: mycoswarm library ingest <path>";
  }
  const { chunks } = store.library.stats();
  return [
    ...documents.map((d) => `  ${d.source} (${d.chunk_count} chunks)`),
    `${documents.length} documents, ${chunks} chunks. Ask about them with /rag <question>.`,
  ].join("\n");
}

/** `/procedure list | add <problem> | <solution> | remove <id>`. */
function procedureCommand(store: Store, arg: string, now: number): string {
  const [action = "list", ...rest] = arg.split(/\s+/);
  const text = rest.join(" ");
  if (action === "list") {
    const all = store.procedures.list();
    if (all.length === 0) {
      return "No procedures yet. Add one: /procedure add <problem> | <solution>";
    }
    return all.map((p) =>
      `#${p.id} (${p.source}, used ${p.use_count}×) ${p.problem} → ${p.solution}`
    )
      .join("\n");
  }
  if (action === "add") {
    const [problem, solution] = text.split("|").map((s) => s.trim());
    if (!problem || !solution) {
      throw createError("usage", "Use: /procedure add <problem> | <solution>");
    }
    const row = store.procedures.add({
      problem,
      solution,
      source: "user",
      created_at: new Date(now).toISOString(),
    });
    return `Procedure #${row.id}: ${row.problem} → ${row.solution}`;
  }
  if (action === "remove") {
    const id = Number(text.replace(/^#/, ""));
    if (!Number.isInteger(id) || !store.procedures.remove(id)) {
      throw createError("not_found", `There is no procedure '${text}' (see /procedure list)`);
    }
    return `Removed procedure #${id}`;
  }
  throw createError("usage", `Unknown action '${action}': /procedure list | add | remove`);
}
