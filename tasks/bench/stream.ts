/**
 * Streaming overhead: time to first token and total time of one answer through
 * our model client (Ollama's native /api/chat, NDJSON), compared with reading the
 * same stream with bare fetch. The fake server adds a fixed delay per token,
 * so the difference is our own cost.
 */

import { startFakeLlm } from "../../testing/fake_llm.ts";
import { testClient } from "../../testing/model_client.ts";
import { report } from "./_stats.ts";

/** Runs the streaming benchmark. */
export async function benchStream(runs = 30): Promise<void> {
  await using fake = await startFakeLlm({ tokenDelayMs: 2 });
  // The window is configured, as a user's would be: the run measures streaming, not /api/show.
  const client = testClient(fake.url, { contextTokens: 8192 });
  const prompt = "count the spores in this sentence please, one by one, slowly";
  const messages = [{ role: "user" as const, content: prompt }];
  const firstOurs: number[] = [], totalOurs: number[] = [];
  const firstBare: number[] = [], totalBare: number[] = [];
  await client.listing();
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    let first = 0;
    await client.chat({
      model: "gemma3:1b",
      messages,
      onText: () => (first ||= performance.now() - start),
    });
    firstOurs.push(first);
    totalOurs.push(performance.now() - start);

    start = performance.now();
    first = 0;
    const response = await fetch(`${fake.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: "gemma3:1b",
        messages,
        stream: true,
        options: { num_ctx: 8192, temperature: 0.7 },
      }),
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      if (!first && /"content":"[^"]/.test(decoder.decode(chunk, { stream: true }))) {
        first = performance.now() - start;
      }
    }
    firstBare.push(first);
    totalBare.push(performance.now() - start);
  }
  console.log(`stream: ${runs} answers of ~17 tokens at 2 ms/token from the test model server`);
  report("first token, model client (native)", firstOurs);
  report("first token, bare fetch", firstBare);
  report("whole answer, model client (native)", totalOurs);
  report("whole answer, bare fetch", totalBare);
}
