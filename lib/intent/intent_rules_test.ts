import assert from "node:assert/strict";
import {
  applyIntentRules,
  isDateTimeQuestion,
  isShortMessage,
  refersToPastConversation,
  wordCount,
} from "./intent_rules.ts";
import { DEFAULT_INTENT } from "./types.ts";

Deno.test("refersToPastConversation() knows the usual phrasings", () => {
  for (
    const message of [
      "What did we discuss yesterday?",
      "Remember when we set up the printer?",
      "You told me to use SQLite, why?",
      "Last time you suggested a different library",
      "Can you expand on what we talked about?",
      "In our conversation about backups, what was the plan?",
      "You recommended a book, which one?",
      "We decided on Deno, right?",
      "Earlier today I asked about tests",
      "Yesterday we looked at the logs",
      "Did we discuss the budget?",
      "you said it would work",
    ]
  ) {
    assert.equal(refersToPastConversation(message), true, message);
  }
});

Deno.test("refersToPastConversation() ignores messages about other people or times", () => {
  for (
    const message of [
      "What is the capital of France?",
      "Explain how the web scraper works",
      "What did the Romans eat?",
      "Tell me about the last time Halley's comet came by",
    ]
  ) {
    assert.equal(refersToPastConversation(message), false, message);
  }
});

Deno.test("isDateTimeQuestion() takes clock questions and not questions about time", () => {
  for (
    const message of [
      "What time is it?",
      "what's the date today",
      "What’s the time now?",
      "What day is today?",
      "what is the date",
      "What year is it?",
      "Tell me today's date please",
    ]
  ) {
    assert.equal(isDateTimeQuestion(message), true, message);
  }
  for (
    const message of [
      "What is the time complexity of quicksort?",
      "What is the date of the next release?",
      "What day did we decide to ship?",
      "How do I format a date in Python?",
    ]
  ) {
    assert.equal(isDateTimeQuestion(message), false, message);
  }
});

Deno.test("isShortMessage() is true under 5 words", () => {
  assert.equal(wordCount("  one two\tthree\nfour "), 4);
  assert.equal(isShortMessage("one two three four"), true);
  assert.equal(isShortMessage("one two three four five"), false);
  assert.equal(isShortMessage(""), true);
});

Deno.test("applyIntentRules() forces scope session for a past reference", () => {
  const intent = { tool: "web_search", mode: "explore", scope: "all" } as const;
  assert.deepEqual(applyIntentRules(intent, "What did we discuss yesterday?"), {
    tool: "web_search",
    mode: "explore",
    scope: "session",
  });
});

Deno.test("applyIntentRules() keeps scope docs off the web", () => {
  const both = { tool: "web_and_rag", mode: "explore", scope: "docs" } as const;
  assert.deepEqual(applyIntentRules(both, "Compare notes.md with the news"), {
    ...both,
    tool: "rag",
  });
  const web = { tool: "web_search", mode: "chat", scope: "docs" } as const;
  assert.equal(applyIntentRules(web, "Search my files").tool, "rag");
});

Deno.test("applyIntentRules() returns the same intent when no rule applies", () => {
  assert.equal(applyIntentRules(DEFAULT_INTENT, "Explain monads to me please"), DEFAULT_INTENT);
});
