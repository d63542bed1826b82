/**
 * Rules the gate applies on top of (or instead of) the model: cheap regular expressions that
 * are right more often than a 1B model on the cases they cover.
 */

import type { Intent } from "./types.ts";

/** Messages with fewer words than this skip the gate model (as in mycoSwarm's chat loop). */
export const MIN_GATE_WORDS = 5;

/** The intent for date and time questions: answered from the clock in the facts block. */
export const DATE_TIME_INTENT: Intent = Object.freeze({
  tool: "answer",
  mode: "chat",
  scope: "facts",
});

const PAST_REFERENCE = new RegExp(
  [
    String.raw`\b(we|you and i)( have| had)? (discussed|talked|spoke|chatted|covered|` +
    String.raw`decided|agreed|went over|were (talking|discussing))\b`,
    String.raw`\byou (told|said|mentioned|suggested|recommended|advised|promised|explained)\b`,
    String.raw`\bi (told|asked) you\b`,
    String.raw`\b(did|have) (we|you) (discuss|talk|mention|decide|cover|say)`,
    // "the last time Halley's comet came" is not about us; "the last time we..." is caught above.
    String.raw`(?<!\bthe )\blast (time|session|chat|conversation)\b`,
    String.raw`\b(do you )?remember when\b`,
    String.raw`\bwhat did (we|i|you)\b`,
    String.raw`\bour (previous |last |earlier )?(conversation|chat|discussion|session)s?\b`,
    String.raw`\bearlier today\b`,
    String.raw`\byesterday,? (we|you|i)\b`,
    String.raw`\bpreviously,? (we|you)\b`,
  ].join("|"),
  "i",
);

/** After "time" or "date": only the end, punctuation or a word that keeps it about the clock. */
const CLOCK_TAIL = String
  .raw`(?=\s*([?.!,]|$|(now|today|right now|currently|please|in|here|there)\b))`;

const DATE_TIME = new RegExp(
  [
    String.raw`\bwhat time is it\b`,
    String.raw`\bwhat'?s the (current )?(time|date)${CLOCK_TAIL}`,
    String.raw`\bwhat is the (current )?(time|date)${CLOCK_TAIL}`,
    String.raw`\bwhat (day|date|year|month) is (it|today)\b`,
    String.raw`\bwhat day of the (week|month) is\b`,
    String.raw`\bwhat(')?s today'?s date\b`,
    String.raw`\b(what is|what'?s) today${CLOCK_TAIL}`,
    String.raw`\btoday'?s date\b`,
    String.raw`\bcurrent (time|date)${CLOCK_TAIL}`,
  ].join("|"),
  "i",
);

/** Curly apostrophes become straight ones so "what’s" reads like "what's". */
function plain(message: string): string {
  return message.replace(/[\u2018\u2019]/g, "'");
}

/** True when the message refers to an earlier conversation ("what did we discuss", "you said"). */
export function refersToPastConversation(message: string): boolean {
  return PAST_REFERENCE.test(plain(message));
}

/**
 * True when the message asks for the date or time ("what time is it?", "what's the date
 * today?"), not about time in general ("what is the time complexity of quicksort?"), and does
 * not refer to a past conversation ("what day did we decide...").
 */
export function isDateTimeQuestion(message: string): boolean {
  return DATE_TIME.test(plain(message)) && !refersToPastConversation(message);
}

/** The number of whitespace-separated words in `message`. */
export function wordCount(message: string): number {
  return message.split(/\s+/).filter((word) => word !== "").length;
}

/** True when the message is too short for the gate model (fewer than 5 words). */
export function isShortMessage(message: string): boolean {
  return wordCount(message) < MIN_GATE_WORDS;
}

/**
 * Applies the rules that hold whatever the model said: a reference to a past conversation
 * forces scope `session`; scope `docs` never uses the web (web_and_rag and web_search become
 * rag), since the user asked about their own documents.
 *
 * @param intent The model's (or the default) intent.
 * @param message The user's message.
 * @returns The intent after the rules; `intent` itself when no rule changed it.
 *
 * @example
 * ```ts
 * applyIntentRules(DEFAULT_INTENT, "What did we discuss yesterday?").scope; // "session"
 * ```
 */
export function applyIntentRules(intent: Intent, message: string): Intent {
  let result = intent;
  if (result.scope !== "session" && refersToPastConversation(message)) {
    result = { ...result, scope: "session" };
  }
  if (result.scope === "docs" && (result.tool === "web_and_rag" || result.tool === "web_search")) {
    result = { ...result, tool: "rag" };
  }
  return result;
}
