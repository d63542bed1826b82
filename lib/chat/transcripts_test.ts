import assert from "node:assert/strict";
import {
  checkSessionName,
  defaultSessionName,
  type Transcript,
  TranscriptStore,
} from "./transcripts.ts";
import { isMycoError } from "../core/mod.ts";

function transcript(name: string, updated: string, count = 2): Transcript {
  const messages = Array.from({ length: count }, (_, i) => ({
    role: i % 2 === 0 ? "user" as const : "assistant" as const,
    content: `message ${i}`,
    timestamp: updated,
  }));
  return { name, model: "llama3.2:3b", created: updated, updated, message_count: count, messages };
}

Deno.test("TranscriptStore saves, loads and lists sessions newest first", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = new TranscriptStore(`${dir}/sessions`);
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.latest(), null);
    await store.save(transcript("older", "2026-11-01T10:00:00.000Z"));
    await store.save(transcript("newer", "2026-11-02T10:00:00.000Z", 4));
    const loaded = await store.load("newer");
    assert.equal(loaded?.messages.length, 4);
    assert.equal(loaded?.message_count, 4);
    assert.deepEqual((await store.list()).map((s) => s.name), ["newer", "older"]);
    assert.equal((await store.latest())?.name, "newer");
    assert.equal(await store.load("missing"), null);
    const leftovers = [...Deno.readDirSync(`${dir}/sessions`)].filter((e) =>
      e.name.includes("tmp")
    );
    assert.deepEqual(leftovers, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TranscriptStore reports a damaged file, leaves it alone and lists the rest", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = new TranscriptStore(dir);
    await store.save(transcript("good", "2026-11-01T10:00:00.000Z"));
    await Deno.writeTextFile(`${dir}/broken.json`, '{"name": "broken", "messa');
    await assert.rejects(store.load("broken"), (e) => {
      assert.ok(isMycoError(e, "invalid_input"));
      assert.match(e.message, /broken\.json is damaged .* left as it is/);
      return true;
    });
    assert.equal(await Deno.readTextFile(`${dir}/broken.json`), '{"name": "broken", "messa');
    const listed = await store.list();
    assert.deepEqual(listed.map((s) => [s.name, s.ok]), [["good", true], ["broken", false]]);
    assert.equal((await store.latest())?.name, "good");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("TranscriptStore reads a Python mycoSwarm session file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/chat-20260101-120000.json`,
      JSON.stringify({
        name: "chat-20260101-120000",
        model: "gemma3:27b",
        created: "2026-01-01T12:00:00",
        updated: "2026-01-01T12:05:00",
        message_count: 2,
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello", vitals: { calm: 0.9 } },
        ],
      }),
    );
    const t = await new TranscriptStore(dir).load("chat-20260101-120000");
    assert.equal(t?.model, "gemma3:27b");
    assert.deepEqual(t?.messages.map((m) => m.content), ["hi", "hello"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("checkSessionName() refuses names that could leave the sessions folder", () => {
  assert.equal(checkSessionName("work-notes_2.1"), "work-notes_2.1");
  for (const bad of ["../etc/passwd", "a/b", "", ".hidden", "a..b", "x".repeat(101), "sp ace"]) {
    assert.throws(() => checkSessionName(bad), (e) => isMycoError(e, "usage"), bad);
  }
});

Deno.test("defaultSessionName() is chat-YYYYmmdd-HHMMSS", () => {
  const at = new Date(2026, 10, 21, 9, 5, 7).getTime();
  assert.equal(defaultSessionName(at), "chat-20261121-090507");
});
