/**
 * The intent gate: decides for each message which tool answers it (the model, the web, the
 * user's documents), in which mode and over which memory.
 *
 * @module
 */
export * from "./types.ts";
export * from "./parse_intent.ts";
export * from "./intent_rules.ts";
export * from "./gate_prompt.ts";
export * from "./classify_intent.ts";
