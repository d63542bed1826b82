/**
 * The command line: `mycoswarm <command> [flags]`. Dispatches to one file per
 * subcommand and turns every error into one message and one exit code.
 *
 * @module
 */

import { ERROR_CODES, isMycoError, VERSION } from "../core/mod.ts";
import type { CliContext, Command } from "./context.ts";
import { clockFromEnvironment } from "../config/mod.ts";

export type { CliContext, Command } from "./context.ts";
export { systemContext } from "./system_context.ts";

/** A subcommand as the dispatcher knows it: its module loads only when it runs. */
export interface CommandEntry {
  /** What the user types, e.g. `chat`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Imports the command's module (kept lazy so `--version` and `--help` start fast). */
  load(): Promise<Command>;
}

/** Every subcommand, in the order the help lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "chat",
    summary: "talk with the model (interactive, saved sessions)",
    load: () => import("./chat.ts").then((m) => m.chatCommand),
  },
  {
    name: "ask",
    summary: "ask one question and stream the answer",
    load: () => import("./ask.ts").then((m) => m.askCommand),
  },
  {
    name: "research",
    summary: "research a question on the web, answer with citations",
    load: () => import("./research.ts").then((m) => m.researchCommand),
  },
  {
    name: "library",
    summary: "your documents: ingest, search, list, remove, reindex",
    load: () => import("./library.ts").then((m) => m.libraryCommand),
  },
  {
    name: "memory",
    summary: "the facts mycoswarm remembers: list, --add, --forget",
    load: () => import("./memory.ts").then((m) => m.memoryCommand),
  },
  {
    name: "detect",
    summary: "detect hardware, tier, capabilities and models",
    load: () => import("./detect.ts").then((m) => m.detectCommand),
  },
  {
    name: "models",
    summary: "list the models (of the swarm, with a daemon) and their roles",
    load: () => import("./models.ts").then((m) => m.modelsCommand),
  },
  {
    name: "daemon",
    summary: "serve this node's API on the LAN (token-protected)",
    load: () => import("./daemon.ts").then((m) => m.daemonCommand),
  },
  {
    name: "swarm",
    summary: "list the nodes of the swarm: hardware, models, tier, state, load",
    load: () => import("./swarm.ts").then((m) => m.swarmCommand),
  },
  {
    name: "ping",
    summary: "time a round trip to each peer",
    load: () => import("./ping.ts").then((m) => m.pingCommand),
  },
  {
    name: "token",
    summary: "print the swarm token (--rotate replaces it)",
    load: () => import("./token.ts").then((m) => m.tokenCommand),
  },
  {
    name: "apikey",
    summary: "keys for Ollama/OpenAI clients: create, list, revoke",
    load: () => import("./apikey.ts").then((m) => m.apikeyCommand),
  },
  {
    name: "join",
    summary: "join a swarm: store its token",
    load: () => import("./join.ts").then((m) => m.joinCommand),
  },
];

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `mycoswarm ${VERSION}: local-first AI across your own machines

Usage: mycoswarm <command> [flags]

Commands:
${list}
  help      show help for a command: mycoswarm help <command>

Flags for every command:
  -h, --help     show help
  -V, --version  show the version

Environment:
  MYCOSWARM_HOME     data and config folder (default ~/.config/mycoswarm)
  OLLAMA_HOST        Ollama's address (default 127.0.0.1:11434)
  MYCOSWARM_LLM_URL  any OpenAI-compatible server instead, e.g. http://box:8080/v1
  MYCOSWARM_MODEL    the chat model; MYCOSWARM_TIER overrides the node tier
`;
}

/**
 * Runs the command line.
 *
 * @param argv the arguments after the program name
 * @returns the process exit code
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  try {
    // The one place the process's clock is settled: MYCOSWARM_NOW (tests only) moves it.
    return await dispatch(argv, { ...ctx, clock: clockFromEnvironment(ctx.env, ctx.clock) });
  } catch (error) {
    if (isMycoError(error)) {
      ctx.stderr.write(`mycoswarm: ${error.message}\n${error.hint ? error.hint + "\n" : ""}`);
      if (ctx.env.MYCOSWARM_DEBUG && error.cause) ctx.stderr.write(`cause: ${error.cause}\n`);
      return error.exitCode;
    }
    const detail = ctx.env.MYCOSWARM_DEBUG && error instanceof Error ? error.stack : String(error);
    ctx.stderr.write(`mycoswarm: internal error: ${detail}\n(Please report this.)\n`);
    return ERROR_CODES.internal.exit;
  }
}

async function dispatch(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help") {
    ctx.stdout.write(topHelp());
    return first === undefined ? ERROR_CODES.usage.exit : 0;
  }
  if (first === "-V" || first === "--version" || first === "version") {
    ctx.stdout.write(`mycoswarm ${VERSION}\n`);
    return 0;
  }
  if (first === "help") {
    const target = rest[0];
    if (target === "-V" || target === "--version") {
      ctx.stdout.write(`mycoswarm ${VERSION}\n`);
      return 0;
    }
    if (target === undefined || target === "-h" || target === "--help") {
      ctx.stdout.write(topHelp());
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === target);
    if (!command) return unknownCommand(target, ctx);
    ctx.stdout.write((await command.load()).help);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (!command) return unknownCommand(first, ctx);
  if (rest.includes("--version") || rest.includes("-V")) {
    ctx.stdout.write(`mycoswarm ${VERSION}\n`);
    return 0;
  }
  return await (await command.load()).run(rest, ctx);
}

function unknownCommand(word: string, ctx: CliContext): number {
  const what = word.startsWith("-") ? "flag" : "command";
  ctx.stderr.write(
    `mycoswarm: unknown ${what} '${word}' (commands: ${COMMANDS.map((c) => c.name).join(", ")})\n`,
  );
  return ERROR_CODES.usage.exit;
}
