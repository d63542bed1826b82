/**
 * Submits one task to a node and prints what happens, one JSON line per step: run it where
 * the test process cannot reach, e.g. inside a network namespace.
 *
 * Usage: deno run -A tests/support/task_client.ts <node url> <token> '<POST /task body>'
 * Prints {"step":"accepted",...202 body}, then {"step":"token"|"final",...event}, or
 * {"step":"error","message"}.
 *
 * @module
 */

import { openTaskStream, postTask, type TaskInput } from "../../lib/orchestrator/mod.ts";

function print(value: Record<string, unknown>): void {
  console.log(JSON.stringify(value));
}

if (import.meta.main) {
  const [url, token, body] = Deno.args;
  const call = { fetch, token: token ?? "" };
  try {
    const accepted = await postTask(url!, JSON.parse(body ?? "{}") as TaskInput, call);
    print({ step: "accepted", ...accepted });
    for await (const event of await openTaskStream(url!, accepted.task_id, call)) {
      print({ step: event.done ? "final" : "token", ...event });
    }
  } catch (error) {
    print({ step: "error", message: error instanceof Error ? error.message : String(error) });
  }
}
