/**
 * Runs the test model server by hand: `deno task fake-llm --port 11435`.
 *
 * Prints `fake-llm (<flavor>) listening on <url>` once, then serves until SIGINT or SIGTERM.
 * Bad flags print one line naming the flag and exit with code 2.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type FakeLlmOptions, guessModel, startFakeLlm } from "../testing/fake_llm.ts";

const USAGE = `Usage: deno task fake-llm [flags]

A deterministic stand-in for Ollama or an OpenAI-compatible model server.

Flags:
  --port N            port to listen on; 0 picks a free one (default 11435, beside Ollama's 11434)
  --hostname H        address to bind (default 127.0.0.1)
  --flavor F          ollama (/api/* and /v1/*) or openai (/v1/* only) (default ollama)
  --models LIST       comma-separated model names, e.g. gemma3:1b,mistral:7b
                      (sizes guessed from the NNb in each name)
  --token-delay MS    milliseconds between streamed tokens (default 0)
  --first-token-delay MS  milliseconds before the first token (default 0)
  --model-delay LIST  extra first-token delay per model, e.g. gemma3:1b=150,llama3.2:3b=40
  --fail-status N     answer chat and embed requests with HTTP status N
  --drop-after N      cut streamed replies after N tokens
  -h, --help          show this help`;

/** Thrown for a bad command line; the message names the flag. */
class UsageError extends Error {}

/** Turns the command line into server options; throws UsageError naming the bad flag. */
function parseFlags(
  args: string[],
): (FakeLlmOptions & { port: number; hostname: string }) | "help" {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        hostname: { type: "string" },
        flavor: { type: "string" },
        models: { type: "string" },
        "token-delay": { type: "string" },
        "first-token-delay": { type: "string" },
        "model-delay": { type: "string" },
        "fail-status": { type: "string" },
        "drop-after": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    // parseArgs messages already quote the flag, e.g. "Unknown option '--bogus'".
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split(/(?<=')\. /)[0] ?? message);
  }
  if (values.help) return "help";

  const options: FakeLlmOptions & { port: number; hostname: string } = {
    port: integer("--port", values.port, 0, 65535) ?? 11435,
    hostname: values.hostname ?? "127.0.0.1",
  };
  if (values.flavor !== undefined) {
    if (values.flavor !== "ollama" && values.flavor !== "openai") {
      throw new UsageError(`--flavor must be ollama or openai, not '${values.flavor}'`);
    }
    options.flavor = values.flavor;
  }
  if (values.models !== undefined) {
    const names = values.models.split(",").map((name) => name.trim()).filter((name) => name);
    if (names.length === 0) throw new UsageError("--models needs at least one model name");
    options.models = names.map(guessModel);
  }
  const tokenDelay = integer("--token-delay", values["token-delay"], 0, 60_000);
  if (tokenDelay !== undefined) options.tokenDelayMs = tokenDelay;
  const firstDelay = integer("--first-token-delay", values["first-token-delay"], 0, 600_000);
  if (firstDelay !== undefined) options.firstTokenDelayMs = firstDelay;
  if (values["model-delay"] !== undefined) {
    options.modelDelayMs = modelDelays(values["model-delay"]);
  }
  const failStatus = integer("--fail-status", values["fail-status"], 400, 599);
  if (failStatus !== undefined) options.failStatus = failStatus;
  const dropAfter = integer("--drop-after", values["drop-after"], 0, 1_000_000);
  if (dropAfter !== undefined) options.dropAfterTokens = dropAfter;
  return options;
}

/** "gemma3:1b=150,llama3.2:3b=40" → { "gemma3:1b": 150, "llama3.2:3b": 40 }. */
function modelDelays(text: string): Record<string, number> {
  const delays: Record<string, number> = {};
  for (const entry of text.split(",").map((part) => part.trim()).filter((part) => part)) {
    const at = entry.lastIndexOf("=");
    if (at <= 0) throw new UsageError(`--model-delay wants NAME=MS pairs, not '${entry}'`);
    delays[entry.slice(0, at)] = integer("--model-delay", entry.slice(at + 1), 0, 600_000)!;
  }
  return delays;
}

function integer(flag: string, text: string | undefined, min: number, max: number) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not '${text}'`);
  }
  return value;
}

async function main(args: string[]): Promise<number> {
  let flags;
  try {
    flags = parseFlags(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`fake-llm: ${error.message} (see --help)`);
    return 2;
  }
  if (flags === "help") {
    console.log(USAGE);
    return 0;
  }

  let llm;
  try {
    llm = await startFakeLlm(flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`fake-llm: cannot listen on ${flags.hostname}:${flags.port}: ${reason}`);
    return 1;
  }
  console.log(`fake-llm (${llm.options.flavor}) listening on ${llm.url}`);

  const stopped = Promise.withResolvers<void>();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  const onSignal = () => stopped.resolve();
  for (const signal of signals) Deno.addSignalListener(signal, onSignal);
  await stopped.promise;
  for (const signal of signals) Deno.removeSignalListener(signal, onSignal);
  await llm.close();
  return 0;
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
}
