/**
 * CLI start-up: how long a person waits for `mycoswarm --version`, `detect --json`
 * and a one-word `ask` (against the test model server), process start to exit.
 */

import { startFakeLlm } from "../../testing/fake_llm.ts";
import { report, timeRuns } from "./_stats.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Runs the start-up benchmark. */
export async function benchStartup(runs = 10): Promise<void> {
  await using fake = await startFakeLlm();
  const home = await Deno.makeTempDir({ prefix: "mycoswarm-bench-" });
  const env = { MYCOSWARM_HOME: home, OLLAMA_HOST: fake.url, PATH: Deno.env.get("PATH") ?? "" };
  const run = async (args: string[]) => {
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, ...args],
      env,
      clearEnv: true,
      stdout: "null",
      stderr: "null",
    }).output();
    if (code !== 0) throw new Error(`mycoswarm ${args.join(" ")} exited ${code}`);
  };
  try {
    await run(["--version"]); // warm the module cache once
    console.log(`startup: ${runs} runs each, deno run main.ts (process start → exit)`);
    report("mycoswarm --version", await timeRuns(runs, () => run(["--version"])));
    report("mycoswarm detect --json", await timeRuns(runs, () => run(["detect", "--json"])));
    report(
      "mycoswarm ask hi (fake server, 0 ms/token)",
      await timeRuns(runs, () => run(["ask", "hi"])),
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}
