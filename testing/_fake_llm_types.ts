/** Types shared by the fake model server's files; re-exported by `fake_llm.ts`. */

/** One model the fake server lists and answers for. */
export interface FakeModel {
  /** Model name as the server lists it, e.g. "llama3.2:3b". */
  name: string;
  /** Size on disk in bytes, as `/api/tags` reports it. @default guessed from the `NNb` in the name */
  size_bytes?: number;
  /** Architecture family, e.g. "llama", "gemma3", "nomic-bert". @default guessed from the name */
  family?: string;
  /** Parameter count as Ollama prints it, e.g. "3.2B". @default guessed from the name */
  parameter_size?: string;
  /**
   * What the model can do, as `/api/show` lists them: "completion", "tools", "vision",
   * "thinking", "embedding", "insert". A chat offering `tools` to a model without "tools"
   * answers Ollama's 400 "... does not support tools"; images without "vision" are refused;
   * `think: true` without "thinking" is a 400. @default by name: embedding models
   * ["embedding"]; gemma, llava ["completion"] (no tools, as in Ollama); qwen3, deepseek-r1,
   * gpt-oss, magistral, qwq add "thinking"; llava, "vision" names, gemma3 from 4b up and qwen2.5vl
   * add "vision"; every other model ["completion", "tools"]
   */
  capabilities?: string[];
  /** `<family>.context_length` in `/api/show`'s `model_info`. @default 131072 (8192 for embedding models, 32768 for gemma3:1b) */
  contextLength?: number;
}

/** A chat message as the fake server sees it, content flattened to text. */
export interface FakeMessage {
  role: string;
  content: string;
  /** How many images the message carries (Ollama `images`, OpenAI `image_url` parts). */
  images?: number;
}

/** Behaviour of the fake server; the object on a running server is live and may be changed. */
export interface FakeLlmOptions {
  /**
   * "ollama" serves `/api/*` and `/v1/*` like real Ollama; "openai" serves only `/v1/*`
   * like llama.cpp server, LM Studio or vLLM (`/api/*` answers 404).
   * @default "ollama"
   */
  flavor?: "ollama" | "openai";
  /** Models the server has. @default gemma3:1b, llama3.2:3b, qwen2.5:14b, nomic-embed-text */
  models?: FakeModel[];
  /** Milliseconds between streamed tokens. @default 0 */
  tokenDelayMs?: number;
  /** Milliseconds before the first token. @default 0 */
  firstTokenDelayMs?: number;
  /** Milliseconds every embedding request takes. @default 0 */
  embedDelayMs?: number;
  /**
   * Extra milliseconds before the first token (or the embedding) for the named models, on top
   * of `firstTokenDelayMs` / `embedDelayMs`, e.g. `{"gemma3:1b": 150}` ("x" also matches
   * "x:latest"). @default {}
   */
  modelDelayMs?: Record<string, number>;
  /**
   * Names `/api/pull` can fetch; pulling any other answers Ollama's "pull model manifest: file
   * does not exist". A pulled model joins `models` (its size guessed from its name).
   * @default every name can be pulled
   */
  registry?: string[];
  /** When set, chat and embed routes answer this HTTP status with an error in the API's shape. */
  failStatus?: number;
  /** How many more requests fail with `failStatus`; counts down to 0. @default all of them */
  failCount?: number;
  /** Streaming only: send this many tokens, then cut the connection (no final chunk, no [DONE]). */
  dropAfterTokens?: number;
  /**
   * Replaces the default text reply (not tool calls, nor structured output, which are built
   * from the request). @default defaultReply
   */
  reply?: (messages: FakeMessage[], model: string) => string;
  /** Length of every embedding vector unless the request asks for `dimensions`. @default 64 */
  embeddingDimensions?: number;
}

/** One request the fake server received, in arrival order. */
export interface RecordedRequest {
  method: string;
  /** URL path without the query string, e.g. "/api/chat". */
  path: string;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when there is none. */
  body: unknown;
  /** Request headers, names lowercased. */
  headers: Record<string, string>;
}

/** A running fake model server. */
export interface FakeLlm {
  /** Base URL, e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  port: number;
  /** Live options: changes apply to the next request. */
  options: FakeLlmOptions;
  /** Every request received so far. */
  requests: RecordedRequest[];
  /** Cuts open streams, stops listening and waits until the server is down. Idempotent. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A model `/api/ps` lists: used within its `keep_alive`. */
export interface LoadedModel {
  /** The model's name as listed, e.g. "llama3.2:3b". */
  name: string;
  /** `Date.now()` milliseconds when it unloads. */
  expiresAt: number;
  /** `options.num_ctx` of the request that loaded it, or Ollama's 4096. */
  contextLength: number;
}

/** What a route handler gets besides the request body. */
export interface RouteContext {
  options: FakeLlmOptions;
  /** Aborted when the server closes; every wait and stream listens to it. */
  signal: AbortSignal;
  /** Sequential id, e.g. "chatcmpl-fake-3" or, with prefix "cmpl", "cmpl-fake-4". */
  nextId(prefix?: string): string;
  /** Sequential tool call id in Ollama's and OpenAI's shape, e.g. "call_00000003". */
  nextCallId(): string;
  /** Models in memory, by listed name, for `/api/ps`. */
  loaded: Map<string, LoadedModel>;
  /** The request's URL path, e.g. "/v1/models/llama3.2:3b". */
  path: string;
}
