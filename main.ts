/**
 * mycoswarm's entry point: `deno run main.ts <command>` or the compiled binary.
 * Builds the real context and runs the CLI.
 *
 * @module
 */
import { runCli, systemContext } from "./lib/cli/mod.ts";

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, systemContext()));
}
