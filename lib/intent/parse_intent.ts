/**
 * Reads the gate model's raw answer into an {@linkcode Intent}. Small models wrap JSON in code
 * fences, prefix it with `json` or with prose, misspell values, or answer in plain words; each
 * of these degrades one step at a time instead of failing.
 */

import { DEFAULT_INTENT, type Intent, isMode, isScope, isTool, TOOLS } from "./types.ts";

/** A field of {@linkcode Intent}. */
export type IntentField = keyof Intent;

/** What {@linkcode parseIntent} made of the model's text. */
export interface ParsedIntent {
  intent: Intent;
  /** True when the text held a JSON object; false when the tool came from the words. */
  json: boolean;
  /** Fields that were missing or invalid and took their default value. */
  defaulted: IntentField[];
}

/** Spellings small models use for valid values (mycoSwarm's search accepts the same two). */
const ALIASES: Record<string, string> = { documents: "docs", personal: "session" };

/**
 * Parses the gate model's answer. Code fences and a leading `json` are stripped; prose around
 * one JSON object is ignored. Each missing or invalid field falls back to its default
 * individually; values are compared case-insensitively, with spaces or hyphens read as `_`.
 * Text that holds no JSON object gives the first of web_and_rag, web_search, rag, answer found
 * in it as a whole word (so "paragraph" is not "rag"), else the default intent.
 *
 * @param raw The model's text.
 * @returns The intent, whether it came from JSON, and which fields were defaulted.
 *
 * @example
 * ```ts
 * parseIntent('```json\n{"tool":"rag","mode":"recall"}\n```').intent;
 * // { tool: "rag", mode: "recall", scope: "all" }
 * parseIntent("I think this is web_search.").intent.tool; // "web_search"
 * ```
 */
export function parseIntent(raw: string): ParsedIntent {
  const object = jsonObjectIn(raw);
  if (object === null) {
    const text = raw.toLowerCase();
    const tool = TOOLS.find((t) => new RegExp(`(?<![a-z0-9_])${t}(?![a-z0-9_])`).test(text));
    const intent = tool === undefined ? DEFAULT_INTENT : { ...DEFAULT_INTENT, tool };
    const defaulted: IntentField[] = tool === undefined
      ? ["tool", "mode", "scope"]
      : ["mode", "scope"];
    return { intent, json: false, defaulted };
  }
  const defaulted: IntentField[] = [];
  const pick = <T>(field: IntentField, valid: (v: unknown) => v is T): T | undefined => {
    const value = normalise(object[field]);
    if (valid(value)) return value;
    defaulted.push(field);
    return undefined;
  };
  const intent: Intent = {
    tool: pick("tool", isTool) ?? DEFAULT_INTENT.tool,
    mode: pick("mode", isMode) ?? DEFAULT_INTENT.mode,
    scope: pick("scope", isScope) ?? DEFAULT_INTENT.scope,
  };
  return { intent, json: true, defaulted };
}

function normalise(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const word = value.trim().toLowerCase().replace(/[\s-]+/g, "_");
  return ALIASES[word] ?? word;
}

/** The JSON object in `raw`, or null: fences and `json` stripped, else the outermost braces. */
function jsonObjectIn(raw: string): Record<string, unknown> | null {
  const text = raw.replaceAll("```", "").trim().replace(/^json\b/i, "").trim();
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  for (const candidate of [text, start >= 0 && end > start ? text.slice(start, end + 1) : null]) {
    if (candidate === null) continue;
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
    } catch {
      // Not JSON as it stands: try the braces, then the words.
    }
  }
  return null;
}
