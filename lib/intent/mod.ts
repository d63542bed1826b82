/**
 * The intent gate: decides for each message which tool answers it (the model, the web, the
 * user's documents), in which mode and over which memory.
 *
 * @module
 */
export { MODES, SCOPES, TOOLS } from "./types.ts";
export type { Intent, Mode, Scope, Tool } from "./types.ts";
export { refersToPastConversation } from "./intent_rules.ts";
export { classifyIntent, gateComplete } from "./classify_intent.ts";
export type {
  ClassifyIntentDeps,
  GateComplete,
  GateModelClient,
  IntentDecision,
  IntentSource,
} from "./classify_intent.ts";
