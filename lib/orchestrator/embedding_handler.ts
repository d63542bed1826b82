/**
 * The `embedding` task: vectors for one text or several.
 *
 * Payload: `{model?, text | texts}`. Result: `{embeddings, model, dimensions}`, plus
 * `embedding` (the one vector) when a single `text` was given, as the Python mycoSwarm did.
 *
 * @module
 */

import {
  createError,
  type Fetch,
  optionalString,
  optionalStrings,
  redactUrl,
  requireOne,
} from "../core/mod.ts";
import { embedTexts, findInstalled, type ModelClient } from "../llm/mod.ts";
import type { TaskHandler, TaskPayload } from "./types.ts";

/** Most texts in one task. */
const MAX_TEXTS = 512;

/** The embedding result. */
export interface EmbeddingResult {
  embeddings: number[][];
  embedding?: number[];
  model: string;
  dimensions: number;
}

function inputOf(payload: TaskPayload) {
  requireOne(payload, ["text", "texts"], { parent: "payload" });
  const text = optionalString(payload, "text", { nonEmpty: true, parent: "payload" });
  return {
    model: optionalString(payload, "model", { nonEmpty: true, parent: "payload" }),
    single: text !== undefined,
    texts: text !== undefined
      ? [text]
      : optionalStrings(payload, "texts", { max: MAX_TEXTS, parent: "payload" })!,
  };
}

/** The `embedding` handler over `client` (and `fetch` for a model other than the default). */
export function embeddingHandler(deps: { client: ModelClient; fetch: Fetch }): TaskHandler {
  return {
    validate(payload) {
      inputOf(payload);
    },
    async run(payload, ctx): Promise<EmbeddingResult> {
      const input = inputOf(payload);
      const [{ server, models }, roles] = await Promise.all([
        deps.client.listing(),
        deps.client.roles(),
      ]);
      let model = roles.embedding;
      if (input.model !== undefined) {
        const found = findInstalled(input.model, models);
        if (found === null) {
          throw createError(
            "model_not_found",
            `Model '${input.model}' is not installed on ${redactUrl(server.url)}`,
            { hint: `Installed: ${models.map((m) => m.name).join(", ") || "none"}` },
          );
        }
        model = found.name;
      }
      if (model === null) {
        throw createError(
          "no_model",
          `No embedding model is installed on ${redactUrl(server.url)}`,
          {
            hint: "Install one: `ollama pull nomic-embed-text`",
          },
        );
      }
      const embeddings = await embedTexts(
        server,
        { model, texts: input.texts, signal: ctx.signal },
        deps.fetch,
      );
      return {
        embeddings,
        ...(input.single && embeddings[0] ? { embedding: embeddings[0] } : {}),
        model,
        dimensions: embeddings[0]?.length ?? 0,
      };
    },
  };
}
