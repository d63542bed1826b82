/** The embedding model as the memory layer sees it, or the reason there is none. */

import { isMycoError } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { Embedder } from "../memory/mod.ts";

/** An embedder from the model server's embedding model; null with a reason when unavailable. */
export async function embedderFor(
  client: ModelClient,
): Promise<{ embedder: Embedder; problem: null } | { embedder: null; problem: string }> {
  try {
    const { embedding } = await client.roles();
    if (embedding === null) {
      return {
        embedder: null,
        problem:
          `no embedding model is installed on ${client.url} (try: ollama pull nomic-embed-text)`,
      };
    }
    return {
      embedder: { model: embedding, embed: (texts, signal) => client.embed(texts, signal) },
      problem: null,
    };
  } catch (error) {
    if (!isMycoError(error)) throw error;
    return { embedder: null, problem: error.message };
  }
}
