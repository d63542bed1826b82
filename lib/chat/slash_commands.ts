/** Chat slash commands: parsing and help. Pure. */

/** A slash command the user typed. */
export interface SlashCommand {
  name: string;
  arg: string;
}

/** The commands chat understands, with their help lines. */
export const SLASH_HELP: readonly [string, string][] = [
  ["/help", "show this help"],
  ["/model [name]", "show the model, or switch to another installed one"],
  ["/clear", "forget the conversation so far (the session keeps its name)"],
  ["/save", "save the session now (it is also saved after every answer)"],
  ["/remember <text>", "remember a fact (prefixes pref:, project:, temp: set its type)"],
  ["/memories", "list what I remember"],
  ["/forget N", "forget fact #N"],
  ["/stale", "facts not used for 30 days (7 for temp: ones)"],
  ["/rag <question>", "answer from your documents"],
  ["/library", "list your documents"],
  ["/procedure list|add|remove", "procedures: add <problem> | <solution>, remove <id>"],
  ["/debug", "show or hide each message's intent and what memory recalled"],
  ["/quit", "save and leave (also /exit, /q, Ctrl-D)"],
];

const ALIASES: Record<string, string> = { exit: "quit", q: "quit", "?": "help" };

/** Parses a line starting with `/`; null for an ordinary message. */
export function parseSlashCommand(line: string): SlashCommand | null {
  const match = line.trim().match(/^\/(\S+)\s*(.*)$/s);
  if (!match) return null;
  const raw = (match[1] ?? "").toLowerCase();
  return { name: ALIASES[raw] ?? raw, arg: (match[2] ?? "").trim() };
}

/** The help text shown by /help. */
export function slashHelpText(): string {
  const width = Math.max(...SLASH_HELP.map(([usage]) => usage.length));
  return SLASH_HELP.map(([usage, what]) => `  ${usage.padEnd(width)}  ${what}`).join("\n") +
    "\nAnything else is sent to the model. Ctrl-C stops an answer; Ctrl-C again leaves.\n";
}
