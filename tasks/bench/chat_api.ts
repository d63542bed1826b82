/**
 * The daemon's chat API: how long a daemon takes from spawn to listening, and a one-off
 * question answered through its whole pipeline (`POST /v1/chat/completions`: gate rules,
 * recall, prompt, the answer routed as an inference task) against the test model server.
 * `--main=PATH` runs another checkout's `main.ts`, so two versions compare in one sitting.
 */

import { startFakeLlm } from "../../testing/fake_llm.ts";
import { startDaemon } from "../../tests/support/run_daemon.ts";
import { tempHome } from "../../tests/support/run_cli.ts";
import { report, timeRuns } from "./_stats.ts";

/** Runs the chat API benchmark. */
export async function benchChatApi(
  options: { runs?: number; starts?: number; main?: string | undefined } = {},
): Promise<void> {
  const { runs = 100, starts = 5, main } = options;
  await using llm = await startFakeLlm();
  console.log(`chat API: daemon on loopback${main ? ` (${main})` : ""}, test model server`);
  const startTimes: number[] = [];
  for (let i = 0; i < starts; i++) {
    await using home = await tempHome();
    const started = performance.now();
    const daemon = await startDaemon(
      { MYCOSWARM_HOME: home.home, OLLAMA_HOST: llm.url },
      undefined,
      main ? { main } : {},
    );
    startTimes.push(performance.now() - started);
    if (i < starts - 1) {
      await daemon.stop();
      continue;
    }
    const token = (await Deno.readTextFile(`${home.home}/swarm-token`)).trim();
    const ask = async () => {
      const response = await fetch(`${daemon.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi there" }] }),
      });
      if (!response.ok) throw new Error(`chat API answered ${response.status}`);
      await response.json();
    };
    await ask(); // warm: the first answer opens memory's indexes
    report("daemon spawn → listening", startTimes);
    report("POST /v1/chat/completions (one-off, 2 words)", await timeRuns(runs, ask));
    await daemon.stop();
  }
}
