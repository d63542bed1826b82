import assert from "node:assert/strict";
import type { Clock } from "../core/mod.ts";
import { classifyIntent, type GateComplete, NO_GATE_MODEL_NOTE } from "./classify_intent.ts";
import { GATE_SYSTEM_PROMPT } from "./gate_prompt.ts";
import { DEFAULT_INTENT } from "./types.ts";

/** A clock that moves 7 ms each time it is read. */
function tickingClock(): Clock {
  let t = 1_000;
  return { now: () => (t += 7) };
}

const replying = (text: string): GateComplete => () => Promise.resolve(text);
const failing: GateComplete = () => Promise.reject(new Error("connection refused\nat line 2"));
/** A model that answers only when aborted: by rejecting with the abort reason. */
const hanging: GateComplete = (_s, _u, signal) =>
  new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));

Deno.test("classifyIntent() forces scope session for 'what did we discuss'", async () => {
  const decision = await classifyIntent("What did we discuss yesterday about the backups?", {
    complete: replying('{"tool": "web_search", "mode": "recall", "scope": "all"}'),
    clock: tickingClock(),
  });
  assert.deepEqual(decision.intent, { tool: "web_search", mode: "recall", scope: "session" });
  assert.equal(decision.source, "model");
});

Deno.test("classifyIntent() forces scope session for 'What did we discuss yesterday?'", async () => {
  const decision = await classifyIntent("What did we discuss yesterday?", {
    complete: replying('{"tool": "answer", "mode": "chat", "scope": "all"}'),
    clock: tickingClock(),
  });
  assert.deepEqual(decision.intent, { tool: "answer", mode: "chat", scope: "session" });
  assert.equal(decision.source, "model");
});

Deno.test("classifyIntent() forces scope session for a short 'What did we discuss?'", async () => {
  const decision = await classifyIntent("What did we discuss?", {
    complete: () => Promise.reject(new Error("must not be called")),
    clock: tickingClock(),
  });
  assert.deepEqual(decision.intent, { ...DEFAULT_INTENT, scope: "session" });
  assert.equal(decision.source, "short");
});

Deno.test("classifyIntent() answers date and time questions without the model", async () => {
  let calls = 0;
  const decision = await classifyIntent("Could you tell me what time is it right now?", {
    complete: () => (calls++, Promise.resolve("{}")),
    clock: tickingClock(),
  });
  assert.deepEqual(decision, {
    intent: { tool: "answer", mode: "chat", scope: "facts" },
    source: "rule",
    raw: null,
    ms: 7,
    note: null,
  });
  assert.equal(calls, 0);
});

Deno.test("classifyIntent() skips the model for messages under 5 words", async () => {
  let calls = 0;
  const decision = await classifyIntent("hello there friend", {
    complete: () => (calls++, Promise.resolve("{}")),
    clock: tickingClock(),
  });
  assert.deepEqual(decision.intent, DEFAULT_INTENT);
  assert.equal(decision.source, "short");
  assert.equal(calls, 0);
});

Deno.test("classifyIntent() sends the gate prompt and the message, and times the call", async () => {
  const seen: string[] = [];
  const decision = await classifyIntent("Summarize the deployment section of notes.md", {
    complete: (system, user) => {
      seen.push(system, user);
      return Promise.resolve('```json\n{"tool":"web_and_rag","mode":"recall","scope":"docs"}\n```');
    },
    clock: tickingClock(),
  });
  assert.deepEqual(seen, [GATE_SYSTEM_PROMPT, "Summarize the deployment section of notes.md"]);
  assert.deepEqual(decision.intent, { tool: "rag", mode: "recall", scope: "docs" });
  assert.equal(decision.source, "model");
  assert.equal(decision.ms, 7);
  assert.equal(decision.note, null);
  assert.match(decision.raw ?? "", /web_and_rag/);
});

Deno.test("classifyIntent() without a gate model gives the default and says so", async () => {
  const decision = await classifyIntent("Explain how the web scraper works in detail", {
    complete: null,
    clock: tickingClock(),
  });
  assert.deepEqual(decision, {
    intent: DEFAULT_INTENT,
    source: "no-model",
    raw: null,
    ms: 7,
    note: NO_GATE_MODEL_NOTE,
  });
  assert.equal(NO_GATE_MODEL_NOTE, "no gate model: using the default intent");
});

Deno.test("classifyIntent() falls back on a model that throws, with a one-line note", async () => {
  const decision = await classifyIntent("Explain how the web scraper works in detail", {
    complete: failing,
    clock: tickingClock(),
  });
  assert.deepEqual(decision.intent, DEFAULT_INTENT);
  assert.equal(decision.source, "fallback");
  assert.equal(decision.note, "gate model failed (connection refused): using the default intent");
});

Deno.test("classifyIntent() falls back on a model that throws synchronously", async () => {
  const decision = await classifyIntent("Explain how the web scraper works in detail", {
    complete: () => {
      throw new TypeError("bad model");
    },
    clock: tickingClock(),
  });
  assert.equal(decision.source, "fallback");
  assert.equal(decision.note, "gate model failed (bad model): using the default intent");
});

Deno.test("classifyIntent() times out a slow model and aborts its call", async () => {
  let aborted = false;
  const decision = await classifyIntent("Explain how the web scraper works in detail", {
    complete: (s, u, signal) => {
      signal?.addEventListener("abort", () => (aborted = true));
      return hanging(s, u, signal);
    },
    clock: tickingClock(),
    timeoutMs: 5,
  });
  assert.deepEqual(decision.intent, DEFAULT_INTENT);
  assert.equal(decision.source, "fallback");
  assert.equal(decision.note, "gate model timed out after 5 ms: using the default intent");
  assert.equal(aborted, true);
});

Deno.test("classifyIntent() times out a model that ignores the abort signal", async () => {
  const decision = await classifyIntent("What did we discuss about the web scraper?", {
    complete: () => new Promise<string>(() => {}),
    clock: tickingClock(),
    timeoutMs: 5,
  });
  assert.deepEqual(decision.intent, { ...DEFAULT_INTENT, scope: "session" });
  assert.equal(decision.note, "gate model timed out after 5 ms: using the default intent");
});

Deno.test("classifyIntent() stops when the caller aborts", async () => {
  const controller = new AbortController();
  const pending = classifyIntent("Explain how the web scraper works in detail", {
    complete: hanging,
    clock: tickingClock(),
    signal: controller.signal,
  });
  controller.abort();
  const decision = await pending;
  assert.equal(decision.source, "fallback");
  assert.equal(decision.note, "intent classification cancelled: using the default intent");
});

Deno.test("classifyIntent() takes the tool from text that is not JSON", async () => {
  const decision = await classifyIntent("What is the latest Deno release and its notes?", {
    complete: replying("I think this is web_search."),
    clock: tickingClock(),
  });
  assert.deepEqual(decision.intent, { tool: "web_search", mode: "chat", scope: "all" });
  assert.equal(decision.source, "fallback");
  assert.equal(decision.raw, "I think this is web_search.");
  assert.equal(
    decision.note,
    "gate model did not answer in JSON: took tool web_search from its text",
  );
});

Deno.test("classifyIntent() notes garbage and invalid fields", async () => {
  const garbage = await classifyIntent("Explain how the web scraper works in detail", {
    complete: replying("¯\\_(ツ)_/¯"),
    clock: tickingClock(),
  });
  assert.deepEqual(garbage.intent, DEFAULT_INTENT);
  assert.equal(garbage.note, "gate model did not answer in JSON: using the default intent");
  const partial = await classifyIntent("Explain how the web scraper works in detail", {
    complete: replying('{"tool": "rag", "mode": "dance"}'),
    clock: tickingClock(),
  });
  assert.deepEqual(partial.intent, { tool: "rag", mode: "chat", scope: "all" });
  assert.equal(partial.source, "model");
  assert.equal(partial.note, "gate model gave no valid mode, scope: using the default");
});
