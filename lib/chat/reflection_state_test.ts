import assert from "node:assert/strict";
import {
  keepEvidence,
  keepMemories,
  markPending,
  markReflected,
  MAX_RETRY_WAIT_MS,
  MAX_SAVED_EVIDENCE_CHARS,
  NEVER_REFLECTED,
  pendingOf,
  reflectedThrough,
  reflectionParts,
  retryAt,
  savedEvidence,
  savedMemories,
} from "./reflection_state.ts";
import type { Transcript, TranscriptMessage } from "./transcripts.ts";

function transcriptOf(messages: TranscriptMessage[], extra?: Record<string, unknown>): Transcript {
  return {
    name: "s",
    model: "m",
    created: "",
    updated: "",
    message_count: messages.length,
    messages,
    ...(extra ? { extra } : {}),
  };
}

const talk = (n: number): TranscriptMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content: `message ${i}`,
  }));

Deno.test("reflectionParts() covers a 70-message span to its first message, in parts of at most 30", () => {
  const parts = reflectionParts(talk(70), 0);
  assert.deepEqual(parts.map((p) => p.messages.length), [23, 24, 23]);
  assert.equal(parts[0]!.messages[0]!.content, "message 0");
  assert.deepEqual(parts.map((p) => p.end), [23, 47, 70]);
  assert.deepEqual(
    parts.flatMap((p) => p.messages).map((m) => m.content),
    talk(70).map((m) => m.content),
  );
});

Deno.test("reflectionParts() starts at `from`, skips other roles, and ends past trailing ones", () => {
  const messages = [...talk(4), { role: "system", content: "note" }];
  const parts = reflectionParts(messages, 2);
  assert.equal(parts.length, 1);
  assert.deepEqual(parts[0]!.messages.map((m) => m.content), ["message 2", "message 3"]);
  assert.equal(parts[0]!.end, 5);
  assert.deepEqual(reflectionParts(messages, 5), []);
});

Deno.test("pendingOf(): an untracked transcript is not pending; a tracked one says why it waits", () => {
  assert.equal(pendingOf(transcriptOf(talk(4))), null, "written before reflected_through existed");
  const stopped = transcriptOf(talk(4), { reflected_through: 0 });
  assert.deepEqual(pendingOf(stopped), {
    name: "s",
    first_unreflected: 0,
    unreflected_messages: 4,
    reason: NEVER_REFLECTED,
    since: null,
    attempts: 0,
  });
  markPending(stopped, "reflection failed: server down", "2026-03-01T09:00:00.000Z");
  assert.equal(pendingOf(stopped)?.reason, "reflection failed: server down");
  assert.equal(pendingOf(stopped)?.since, "2026-03-01T09:00:00.000Z");
  markReflected(stopped, 3);
  assert.equal(pendingOf(stopped), null, "one message left is too few to reflect on");
  assert.equal(stopped.extra?.reflection_pending, undefined);
});

Deno.test("reflectedThrough() is clamped to the messages there are (a /clear, a damaged field)", () => {
  assert.equal(reflectedThrough(transcriptOf(talk(2), { reflected_through: 9 })), 2);
  assert.equal(reflectedThrough(transcriptOf(talk(2), { reflected_through: -1 })), null);
  assert.equal(reflectedThrough(transcriptOf(talk(2), { reflected_through: "2" })), null);
});

Deno.test("keepEvidence() keeps each text once, the newest within the cap, until all is reflected", () => {
  const messages: TranscriptMessage[] = [
    { role: "user", content: "a" },
    { role: "assistant", content: "b" },
  ];
  const transcript = transcriptOf(messages, { reflected_through: 0 });
  const big = "x".repeat(MAX_SAVED_EVIDENCE_CHARS - 10);
  keepEvidence(transcript, ["old doc", "old doc"]);
  assert.deepEqual(savedEvidence(transcript), ["old doc"]);
  keepEvidence(transcript, [big, "new doc"]);
  assert.deepEqual(savedEvidence(transcript), [big, "new doc"], "the oldest went first");
  markReflected(transcript, 1);
  assert.equal(savedEvidence(transcript).length, 2, "kept while a message waits");
  markReflected(transcript, 2);
  assert.deepEqual(savedEvidence(transcript), [], "dropped once everything is reflected");
});

Deno.test("keepEvidence(): one text longer than the cap does not push out all the others", () => {
  const transcript = transcriptOf(talk(2), { reflected_through: 0 });
  const huge = "y".repeat(MAX_SAVED_EVIDENCE_CHARS + 1);
  keepEvidence(transcript, ["backups run at 02:00", huge]);
  assert.deepEqual(savedEvidence(transcript), ["backups run at 02:00"]);
});

Deno.test("keepMemories() keeps each recalled claim once with its latest standing, until all is reflected", () => {
  const transcript = transcriptOf(talk(2), { reflected_through: 0 });
  keepMemories(transcript, [{ ref: "c1", text: "Backups at 02:00.", grounded: false }]);
  keepMemories(transcript, [
    { ref: "c2", text: "Port 5432.", grounded: true },
    { ref: "c1", text: "Backups at 02:00.", grounded: true },
  ]);
  assert.deepEqual(savedMemories(transcript).map((m) => [m.ref, m.grounded]), [
    ["c2", true],
    ["c1", true],
  ]);
  markReflected(transcript, 1);
  assert.equal(savedMemories(transcript).length, 2, "kept while a message waits");
  markReflected(transcript, 2);
  assert.deepEqual(savedMemories(transcript), [], "dropped once everything is reflected");
});

Deno.test("a session that keeps failing is retried by sweeps ever more rarely; one failure at once", () => {
  const transcript = transcriptOf(
    [{ role: "user", content: "a" }, { role: "assistant", content: "b" }],
    { reflected_through: 0 },
  );
  const at = "2026-03-01T09:00:00.000Z", t0 = Date.parse(at);
  assert.equal(retryAt(pendingOf(transcript)!), 0, "never ran: at once");
  markPending(transcript, "reflection failed: down", at);
  assert.equal(pendingOf(transcript)!.attempts, 1);
  assert.equal(retryAt(pendingOf(transcript)!), 0, "one failure: at once (the server may be back)");
  markPending(transcript, "reflection failed: no summary", at);
  assert.equal(retryAt(pendingOf(transcript)!), t0 + 60_000);
  markPending(transcript, "reflection failed: no summary", at);
  assert.equal(retryAt(pendingOf(transcript)!), t0 + 120_000);
  for (let i = 0; i < 30; i++) markPending(transcript, "reflection failed: no summary", at);
  assert.equal(retryAt(pendingOf(transcript)!), t0 + MAX_RETRY_WAIT_MS);
  markReflected(transcript, 2);
  assert.equal(pendingOf(transcript), null, "reflected: the count goes with the mark");
});
