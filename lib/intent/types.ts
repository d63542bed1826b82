/**
 * What the intent gate decides about a message: which tool answers it, in which mode, over
 * which memory. The value lists are the gate's whole vocabulary; anything else is invalid.
 */

/** Tools that can answer a message, in the order the text fallback looks for them. */
export const TOOLS = ["web_and_rag", "web_search", "rag", "answer"] as const;
/** Conversation modes. */
export const MODES = ["recall", "explore", "execute", "chat"] as const;
/** Memory scopes a search covers. */
export const SCOPES = ["session", "docs", "facts", "all"] as const;

/** How to answer: the model alone, the web, the user's documents, or both. */
export type Tool = typeof TOOLS[number];
/** What the user is doing: remembering, exploring, getting something done, or chatting. */
export type Mode = typeof MODES[number];
/** Which memory to search: past sessions, documents, facts, or all of them. */
export type Scope = typeof SCOPES[number];

/** The gate's decision about one message. */
export interface Intent {
  /** Which tool answers: the model alone, the web, the documents or both. */
  readonly tool: Tool;
  /** How to answer: recall, explore, execute or chat. */
  readonly mode: Mode;
  /** Which memory to search. */
  readonly scope: Scope;
}

/** The intent used whenever the gate cannot decide: answer from the model, chat, search all. */
export const DEFAULT_INTENT: Intent = Object.freeze({ tool: "answer", mode: "chat", scope: "all" });

/** True when `value` is one of the {@linkcode TOOLS}. */
export function isTool(value: unknown): value is Tool {
  return (TOOLS as readonly unknown[]).includes(value);
}

/** True when `value` is one of the {@linkcode MODES}. */
export function isMode(value: unknown): value is Mode {
  return (MODES as readonly unknown[]).includes(value);
}

/** True when `value` is one of the {@linkcode SCOPES}. */
export function isScope(value: unknown): value is Scope {
  return (SCOPES as readonly unknown[]).includes(value);
}
