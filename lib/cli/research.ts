/** `mycoswarm research "<question>"`: plan searches, fan them out, read pages, answer with [W1]... */

import { research, type ResearchProgress, type ResearchResult, sourcesList } from "../chat/mod.ts";
import { createError, type Logger } from "../core/mod.ts";
import { intFlag, parseCommandArgs, stringFlag } from "./_args.ts";
import { configFor, modelClientFor, writeJson } from "./_setup.ts";
import type { Command } from "./context.ts";
import { swarmRunTask } from "./_swarm_tasks.ts";

const HELP = `Usage: mycoswarm research "<question>" [-n N] [--json] [--model M]

Researches a question on the web: the model plans 2–4 searches, they run in
parallel, the top pages are read in parallel, and the answer streams with
numbered citations [W1].. followed by the list of sources. Progress goes to stderr.

Options:
  -n, --max-results N  results per search, 1–20 (default 5)
  -m, --model M        the model that plans and answers (default: the largest chat model)
  --json               print {question, queries, sources, answer} when done
  -h, --help           show this help

Search providers: DuckDuckGo needs nothing; a self-hosted SearXNG
(MYCOSWARM_SEARXNG_URL) and Brave Search (BRAVE_API_KEY) are tried first when set;
MYCOSWARM_WEB_PROVIDERS=searxng,duckduckgo sets the order.

Exit codes: 0 answered, 2 bad usage or config, 3 model server or model unavailable,
4 web search unavailable or rate-limited, 130 interrupted.
`;

export const researchCommand: Command = {
  name: "research",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("research", argv, {
      "max-results": { type: "string", short: "n" },
      model: { type: "string", short: "m" },
      json: { type: "boolean" },
    }, { maxPositionals: Infinity });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const question = args.positionals.join(" ").trim();
    if (question === "") {
      throw createError(
        "usage",
        'research: give a question, e.g. mycoswarm research "how do fungi spread?"',
      );
    }
    const maxResults = intFlag("research", args.values, "max-results", {
      min: 1,
      max: 20,
      flag: "-n",
    });
    const json = args.values.json === true;
    const config = await configFor(ctx, { model: stringFlag("research", args.values, "model") });
    const client = modelClientFor(config, ctx);
    const model = await client.chatModel();
    const runTask = swarmRunTask(config, ctx, { logger: quiet(ctx.logger) });
    const controller = new AbortController();
    const stopInterrupts = ctx.onInterrupt(() => controller.abort());
    try {
      const result = await research(question, { client, model, runTask, clock: ctx.clock }, {
        maxResults,
        contextTokens: await client.contextWindow(model),
        signal: controller.signal,
        onProgress: (step) => ctx.stderr.write(`${progressLine(step)}\n`),
        onText: json ? undefined : (piece) => ctx.stdout.write(piece),
      });
      if (json) writeJson(ctx, resultJson(result));
      else {
        const sources = sourcesList(result.sources);
        ctx.stdout.write(sources ? `\n\n${sources}\n` : "\n");
      }
      if (result.aborted) {
        throw createError("interrupted", "Interrupted; the answer is cut short");
      }
      return 0;
    } finally {
      stopInterrupts();
    }
  },
};

/** One stderr line per research step. */
export function progressLine(step: ResearchProgress): string {
  switch (step.type) {
    case "planned":
      return step.fallback
        ? `Searching the question itself (${step.fallback})`
        : `Planned ${step.queries.length} searches: ${
          step.queries.map((q) => JSON.stringify(q)).join(", ")
        }`;
    case "searched": {
      const failed = step.failed.map((f) => `"${f.query}": ${f.reason}`).join("; ");
      return `Searched ${step.queries} queries in parallel: ${step.unique} unique results` +
        (failed ? ` (${step.failed.length} failed: ${failed})` : "");
    }
    case "read": {
      const skipped = step.skipped.map((s) => `${s.url}: ${s.reason}`).join("; ");
      return `Read ${step.read} of ${step.tried} pages` + (skipped ? ` (skipped ${skipped})` : "");
    }
  }
}

function resultJson(result: ResearchResult) {
  return {
    question: result.question,
    queries: result.queries,
    sources: result.sources.map(({ label, title, url, read }) => ({ label, title, url, read })),
    answer: result.answer,
    ...(result.aborted ? { interrupted: true } : {}),
  };
}

/** A failed provider followed by one that answered is a debug detail here: progress says the rest. */
function quiet(logger: Logger): Logger {
  return { ...logger, warn: logger.debug };
}
