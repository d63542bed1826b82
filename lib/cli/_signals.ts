/** Shutdown signals for long-running commands: Ctrl-C (SIGINT) and SIGTERM. */

import type { CliContext } from "./context.ts";

/**
 * Calls `handler` with the signal's name on SIGINT or SIGTERM.
 *
 * @returns a function that stops listening
 */
export function onShutdownSignal(ctx: CliContext, handler: (signal: string) => void): () => void {
  const stopInterrupt = ctx.onInterrupt(() => handler("SIGINT"));
  const term = () => handler("SIGTERM");
  let termListening = false;
  try {
    Deno.addSignalListener("SIGTERM", term);
    termListening = true;
  } catch {
    // Windows has no SIGTERM; Ctrl-C still stops the daemon.
  }
  return () => {
    stopInterrupt();
    if (termListening) Deno.removeSignalListener("SIGTERM", term);
  };
}
