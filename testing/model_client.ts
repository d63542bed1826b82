/** A ModelClient pointed at a test model server, for tests that talk to one directly. */

import { ModelClient, type ModelClientSettings } from "../lib/llm/mod.ts";

/** Settings for a client of the server at `url` (Ollama flavour unless told otherwise). */
export function testClientSettings(
  url: string,
  extra: Partial<ModelClientSettings> = {},
): ModelClientSettings {
  return {
    url,
    kind: "ollama",
    urlSource: "test",
    apiKey: null,
    probeTimeoutMs: 2000,
    chatModel: null,
    gateModel: null,
    embeddingModel: null,
    ...extra,
  };
}

/** A client of the test model server at `url`. */
export function testClient(url: string, extra: Partial<ModelClientSettings> = {}): ModelClient {
  return new ModelClient(testClientSettings(url, extra), fetch);
}
