/** Scripted reflections for end-to-end memory tests, and the answers' system prompts. */

import { defaultReply, type FakeMessage } from "../../testing/fake_llm.ts";

/** A reflection as the model would return it. */
export type Reflection = {
  summary: string;
  decisions?: string[];
  lessons?: string[];
  tone?: string;
};

/** A fake model server answering reflections with `reflection`, everything else as usual. */
export function reflecting(reflection: () => Reflection | string) {
  return (messages: FakeMessage[], model: string): string => {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    if (!system.includes("You review a finished conversation")) {
      return defaultReply(messages, model);
    }
    const r = reflection();
    return typeof r === "string" ? r : JSON.stringify(r);
  };
}

/** The system prompts of the answers (not the intent gate's, not the reflections'), in order. */
export function answerPrompts(fake: { requests: { path: string; body: unknown }[] }): string[] {
  return fake.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => (r.body as { messages: FakeMessage[] }).messages)
    .map((m) => m.find((x) => x.role === "system")?.content ?? "")
    .filter((s) => s.startsWith("You are mycoswarm"));
}
