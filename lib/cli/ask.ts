/** `mycoswarm ask "<prompt>"`: one question, one streamed answer. */

import { createError, isMycoError } from "../core/mod.ts";
import { type PreparedTurn, prepareTurn, sourcesFooter, TranscriptStore } from "../chat/mod.ts";
import { sweepPending } from "./_pending.ts";
import { openTurns } from "./_turns.ts";
import { SwarmModelClient } from "../orchestrator/mod.ts";
import { parseCommandArgs, stringFlag } from "./_args.ts";
import { configFor, writeJson } from "./_setup.ts";
import { answeringClient } from "./_answering_client.ts";
import type { CliContext, Command } from "./context.ts";

const HELP = `Usage: mycoswarm ask "<prompt>" [--model M] [--json]

Asks the model one question and streams the answer, through the same pipeline
as chat: intent gate, your facts, session memories, documents and procedures.
When a daemon runs on this machine, the answer comes from the node of the swarm
that fits it best (a GPU box, say); without one, from this machine's model server.
With no prompt and piped input, the prompt is read from stdin:
  echo "why is the sky blue?" | mycoswarm ask

Options:
  -m, --model M   the model to use (default: the largest installed chat model)
  --json          print {answer, model, duration_ms, usage, intent, sources} when done
                  (and node_id, the node that answered, when a daemon routed it)
  -h, --help      show this help

Exit codes: 0 answered, 2 bad usage or config, 3 model server or model unavailable
or failed mid-answer (the partial answer is still printed), 130 interrupted.
`;

export const askCommand: Command = {
  name: "ask",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("ask", argv, {
      model: { type: "string", short: "m" },
      json: { type: "boolean" },
    }, { maxPositionals: Infinity });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const prompt = await promptFrom(args.positionals, ctx);
    const json = args.values.json === true;
    const config = await configFor(ctx, { model: stringFlag("ask", args.values, "model") });
    const { client, daemon } = await answeringClient(config, ctx);
    const model = await client.chatModel();
    using turns = await openTurns(config, ctx, { client, daemon });
    const started = ctx.clock.now();
    const controller = new AbortController();
    const stopInterrupts = ctx.onInterrupt(() => controller.abort());
    let received = "";
    let turn: PreparedTurn | null = null;
    try {
      turn = await prepareTurn(prompt, turns, { model, signal: controller.signal });
      for (const note of [turn.decision.note, ...(turn.recalled?.notes ?? [])]) {
        if (note) ctx.stderr.write(`note: ${note}\n`);
      }
      const answer = await client.chat({
        model,
        messages: [{ role: "user", content: prompt }],
        instructions: turn.prompt.system,
        signal: controller.signal,
        onText: (piece) => {
          received += piece;
          if (!json) ctx.stdout.write(piece);
        },
      });
      const duration_ms = ctx.clock.now() - started;
      if (json) {
        writeJson(ctx, {
          answer: answer.text,
          model,
          duration_ms,
          usage: {
            input_tokens: answer.usage.inputTokens,
            output_tokens: answer.usage.outputTokens,
          },
          intent: intentJson(turn),
          sources: turn.prompt.sources,
          ...(client instanceof SwarmModelClient ? { node_id: client.lastNode } : {}),
          ...(answer.aborted ? { interrupted: true } : {}),
        });
      } else {
        const footer = sourcesFooter(answer.text, turn.prompt.sources);
        ctx.stdout.write(footer ? `\n${footer}\n` : "\n");
      }
      if (answer.aborted) throw createError("interrupted", "Interrupted; the answer is cut short");
      // Sessions whose reflection failed or never ran, now that the answer is out.
      const sessions = new TranscriptStore(config.paths.sessionsDir);
      if (turns.store !== null) await sweepPending(sessions, client, turns, ctx.stderr);
      return 0;
    } catch (error) {
      if (isMycoError(error) && error.code !== "interrupted") {
        if (json) {
          writeJson(ctx, {
            answer: received,
            model,
            duration_ms: ctx.clock.now() - started,
            error: error.message,
          });
        } else if (received !== "") ctx.stdout.write("\n");
      }
      throw error;
    } finally {
      stopInterrupts();
    }
  },
};

function intentJson(turn: PreparedTurn) {
  const { intent, source, ms, note } = turn.decision;
  return { ...intent, source, ms: Math.round(ms), ...(note ? { note } : {}) };
}

async function promptFrom(positionals: string[], ctx: CliContext): Promise<string> {
  let prompt = positionals.join(" ").trim();
  if (prompt === "" && !ctx.isTerminal.stdin) {
    prompt = (await new Response(ctx.stdin).text()).trim();
  }
  if (prompt === "") {
    throw createError("usage", 'ask: give a prompt, e.g. mycoswarm ask "what is mDNS?"');
  }
  return prompt;
}
