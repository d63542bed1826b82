/** Shapes shared by the model backends. */

/** A model installed on the model server. */
export interface ModelInfo {
  /** The name to ask for, e.g. "llama3.2:3b". */
  name: string;
  /** Size on disk in bytes, when the server says (Ollama does). */
  size_bytes?: number;
  /** Model family from the server, e.g. "llama", "gemma3", "nomic-bert". */
  family?: string;
  /** Parameter count as the server writes it, e.g. "3.2B". */
  parameter_size?: string;
}

/** Which API the model server speaks. */
export type ServerKind = "ollama" | "openai";

/** A model server we found and can talk to. */
export interface ModelServer {
  /** The URL as configured (Ollama root or OpenAI-compatible base). */
  url: string;
  /** Which API the server speaks. */
  kind: ServerKind;
  /**
   * The OpenAI-compatible API base (`.../v1`). Model calls to a plain OpenAI-compatible server
   * go here; Ollama's go to its native `/api/*` beside it.
   */
  apiBase: string;
  /** Where the URL came from, for messages. */
  urlSource: string;
  /** Bearer token sent with every call, if any. */
  apiKey: string | null;
  /** The server's version, when it tells (Ollama's /api/version). */
  version: string | null;
  /** Ollama's `keep_alive` sent with every model call, or null for the server's default. */
  keepAlive: string | number | null;
}

/** One message of a conversation. */
export interface ChatMessage {
  /** Who said it. */
  role: "system" | "user" | "assistant";
  /** What was said. */
  content: string;
}

/** Token counts of one answer, when the server reports them. */
export interface Usage {
  /** Prompt tokens, or null when the server does not say. */
  inputTokens: number | null;
  /** Answer tokens, or null when the server does not say. */
  outputTokens: number | null;
}

/** The model picked for each job. */
export interface ModelRoles {
  /** The main answering model: the largest chat model. */
  chat: string | null;
  /** The small, fast model for intent classification. */
  gate: string | null;
  /** The embedding model. */
  embedding: string | null;
}
