import assert from "node:assert/strict";
import type { Logger } from "../core/mod.ts";
import { Store } from "../store/mod.ts";
import { defaultReply, type FakeMessage, startFakeLlm } from "../../testing/fake_llm.ts";
import { testClient } from "../../testing/model_client.ts";
import { ManualTime } from "../../testing/time.ts";
import { SessionBusyError } from "./chat_service.ts";
import { Conversations } from "./conversations.ts";
import { TurnContext } from "./pipeline.ts";
import { TranscriptStore } from "./transcripts.ts";

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const REFLECTION = JSON.stringify({
  summary: "We talked about the kitchen lights.",
  decisions: [],
  lessons: [],
  surprises: [],
  tone: "routine",
});

async function setup(idleMs = 30 * 60_000, maxOpen = 100) {
  const reflections: FakeMessage[][] = [];
  const llm = await startFakeLlm({
    reply: (messages, model) => {
      const system = messages.find((m) => m.role === "system")?.content ?? "";
      if (!system.includes("You review a finished conversation")) {
        return defaultReply(messages, model);
      }
      reflections.push(messages);
      return REFLECTION;
    },
  });
  const dir = await Deno.makeTempDir();
  const store = Store.open(`${dir}/memory.db`);
  const clock = new ManualTime(Date.parse("2026-11-22T10:00:00Z"));
  const client = testClient(llm.url);
  const turns = new TurnContext({
    store,
    client,
    embedder: null,
    clock,
    indexDir: `${dir}/index`,
    logger: quiet,
  });
  const serviceFor = () =>
    new Conversations({
      turns,
      client,
      transcripts: new TranscriptStore(`${dir}/sessions`),
      clock,
      timers: clock,
      logger: quiet,
      idleMs,
      maxOpen,
    });
  return {
    service: serviceFor(),
    /** A new service over the same memory and sessions folder: the daemon restarted. */
    restart: serviceFor,
    llm,
    store,
    clock,
    dir,
    reflections,
    async [Symbol.asyncDispose]() {
      store.close();
      await llm.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const user = (content: string) => ({ role: "user" as const, content });
const assistant = (content: string) => ({ role: "assistant" as const, content });

Deno.test("Conversations keeps the client's conversation and answers its last message", async () => {
  await using t = await setup();
  const first = await t.service.answer({
    session: "kitchen",
    messages: [{ role: "system", content: "Be brief." }, user("lights on in the kitchen")],
    model: null,
  });
  assert.equal(first.session, "kitchen");
  assert.match(first.text, /^You said: lights on in the kitchen\./);
  assert.equal(first.error, null);
  t.clock.time += 60_000;
  await t.service.answer({
    session: "kitchen",
    messages: [user("lights on in the kitchen"), assistant(first.text), user("and dim them")],
    model: "llama3.2:3b",
  });
  const saved = JSON.parse(await Deno.readTextFile(`${t.dir}/sessions/api-kitchen.json`));
  assert.equal(saved.model, "llama3.2:3b");
  assert.deepEqual(saved.messages.map((m: { content: string }) => m.content.slice(0, 14)), [
    "lights on in t",
    "You said: ligh",
    "and dim them",
    "You said: and ",
  ]);
  // The first two keep the time they were first seen.
  assert.equal(saved.messages[0].timestamp, "2026-11-22T10:00:00.000Z");
  assert.equal(saved.messages[2].timestamp, "2026-11-22T10:01:00.000Z");
  assert.deepEqual(t.service.sessions(), [{
    session: "kitchen",
    messages: 4,
    updated: "2026-11-22T10:01:00.000Z",
  }]);
});

Deno.test("Conversations: one-off questions are answered, not saved, never reflected on", async () => {
  await using t = await setup();
  const answer = await t.service.answer({
    session: null,
    messages: [user("hi there")],
    model: null,
  });
  assert.match(answer.text, /^You said: hi there/);
  assert.deepEqual(t.service.sessions(), []);
  assert.equal(await Deno.stat(`${t.dir}/sessions`).then(() => true, () => false), false);
  await assert.rejects(
    () => t.service.answer({ session: null, messages: [user("x"), assistant("y")], model: null }),
    /messages must end with the user's message/,
  );
});

Deno.test("Conversations ends idle sessions with a reflection; a reopened one reflects only what is new", async () => {
  await using t = await setup(10 * 60_000);
  const talk = [user("lights on in the kitchen please")];
  const a = await t.service.answer({ session: "kitchen", messages: talk, model: null });
  t.clock.time += 5 * 60_000;
  assert.equal(await t.service.closeIdle(), 0, "5 minutes is not idle");
  t.clock.time += 5 * 60_000;
  assert.equal(await t.service.closeIdle(), 1);
  assert.deepEqual(t.service.sessions(), []);
  assert.equal(t.reflections.length, 1);
  assert.deepEqual(t.store.episodes.list().map((s) => [s.name, s.summary]), [[
    "api-kitchen",
    "We talked about the kitchen lights.",
  ]]);

  // The client comes back with the whole conversation: only the new part is reflected on.
  const more = [...talk, assistant(a.text), user("now turn them off")];
  await t.service.answer({ session: "kitchen", messages: more, model: null });
  const end = await t.service.endSession("kitchen");
  assert.equal(end.reflected, true);
  const conversation = t.reflections[1]!.find((m) => m.role === "user")!.content;
  assert.match(conversation, /now turn them off/);
  assert.doesNotMatch(conversation, /lights on in the kitchen/);
  await assert.rejects(() => t.service.endSession("kitchen"), /No open session 'kitchen'/);
});

/** The conversation text each reflection was asked about. */
function reflected(t: { reflections: FakeMessage[][] }): string[] {
  return t.reflections.map((r) => r.find((m) => m.role === "user")!.content);
}

Deno.test("Conversations: a request during a session's reflection waits, and nothing is reflected twice", async () => {
  await using t = await setup();
  const talk = [user("lights on in the kitchen please")];
  const a = await t.service.answer({ session: "k", messages: talk, model: null });
  const closing = t.service.endSession("k");
  const more = [...talk, assistant(a.text), user("now the hallway lights")];
  const again = t.service.answer({ session: "k", messages: more, model: null });
  assert.equal((await closing).reflected, true);
  await again;
  await t.service.endSession("k");
  const [first, second] = reflected(t);
  assert.match(first!, /lights on in the kitchen/);
  assert.match(second!, /now the hallway lights/);
  assert.doesNotMatch(second!, /lights on in the kitchen/);
});

Deno.test("Conversations: after a restart a continued conversation is reflected only for what is new; a reused name starts afresh", async () => {
  await using t = await setup();
  const talk = [user("lights on in the kitchen please")];
  const a = await t.service.answer({ session: "k", messages: talk, model: null });
  await t.service.closeAll(); // the daemon stops
  const saved = JSON.parse(await Deno.readTextFile(`${t.dir}/sessions/api-k.json`));
  assert.equal(saved.reflected_through, 2);

  const restarted = t.restart();
  const more = [...talk, assistant(a.text), user("now the hallway lights")];
  await restarted.answer({ session: "k", messages: more, model: null });
  await restarted.endSession("k");
  assert.doesNotMatch(reflected(t)[1]!, /lights on in the kitchen/);

  // The same name for another conversation: everything in it is new, and the old one is kept.
  await restarted.answer({ session: "k", messages: [user("water the garden")], model: null });
  await restarted.endSession("k");
  assert.match(reflected(t)[2]!, /water the garden/);
  assert.equal(reflected(t).length, 3);
  const files = [...Deno.readDirSync(`${t.dir}/sessions`)].map((e) => e.name).sort();
  assert.deepEqual(files, ["api-k.json", "api-k.until-20261122T100000Z.json"]);
  const old = JSON.parse(await Deno.readTextFile(`${t.dir}/sessions/${files[1]}`));
  assert.match(old.messages[2].content, /now the hallway lights/);
});

Deno.test("Conversations: a session answering is never idle; past the limit the oldest idle one ends", async () => {
  await using t = await setup(10 * 60_000, 2);
  t.llm.options.firstTokenDelayMs = 100;
  const slow = t.service.answer({ session: "a", messages: [user("a long answer")], model: null });
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.clock.time += 60 * 60_000;
  assert.equal(await t.service.closeIdle(), 0, "a is answering");
  await slow;
  t.llm.options.firstTokenDelayMs = 0;
  t.clock.time += 1;
  await t.service.answer({ session: "b", messages: [user("second room")], model: null });
  t.clock.time += 1;
  await t.service.answer({ session: "c", messages: [user("third room")], model: null });
  await t.service.closeAll();
  assert.equal(reflected(t).length, 3);
  assert.match(reflected(t)[0]!, /a long answer/, "a, the least recently used, ended first");
});

/** Waits (a bounded number of real turns) until `done()`. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(done(), "timed out waiting");
}

Deno.test("Conversations.start() ends idle sessions at each sweep; close() ends the rest", async () => {
  await using t = await setup(10 * 60_000);
  t.service.start();
  t.service.start(); // idempotent: one sweep timer
  assert.equal(t.clock.pending, 1);
  await t.service.answer({ session: "kitchen", messages: [user("lights on please")], model: null });
  t.clock.time += 11 * 60_000; // the sweep due after a minute finds kitchen busy a minute ago
  await until(() => t.clock.pending === 1); // the next one is due a minute after it ran
  assert.equal(t.service.sessions().length, 1);
  t.clock.time += 60_000; // 12 minutes idle now: ended, and reflected on
  await until(() => t.reflections.length === 1);
  assert.deepEqual(t.service.sessions(), []);
  await until(() => t.clock.pending === 1);

  await t.service.answer({ session: "hall", messages: [user("hallway lights on")], model: null });
  assert.equal(await t.service.close(), true, "every open session was reflected on");
  assert.equal(t.reflections.length, 2);
  assert.deepEqual(t.store.episodes.list().map((s) => s.name).sort(), ["api-hall", "api-kitchen"]);
  assert.equal(t.clock.pending, 0, "no sweep after close");
  t.service.start();
  assert.equal(t.clock.pending, 0, "a closed service does not start again");
});

Deno.test("Conversations.close() gives up on reflections at its deadline, and says so", async () => {
  await using t = await setup();
  await t.service.answer({ session: "slow", messages: [user("lights on please")], model: null });
  t.llm.options.firstTokenDelayMs = 60_000; // the reflection hangs
  const closing = t.service.close(5_000);
  await new Promise((r) => setTimeout(r, 20));
  t.clock.time += 5_000;
  assert.equal(await closing, false);
  // The abandoned reflection fails when the model server goes; let it finish writing the
  // session (pending) before the folder is removed.
  await t.llm.close();
  await t.service.closeAll();
  assert.equal(t.store.episodes.list().length, 0, "nothing half-stored");
});

Deno.test("Conversations lets at most 4 requests of a session wait behind the one answering", async () => {
  await using t = await setup();
  const ask = (session: string, n: number) =>
    t.service.answer({ session, messages: [user(`question ${n}`)], model: null });
  const accepted = [1, 2, 3, 4, 5].map((n) => ask("kitchen", n));
  await assert.rejects(ask("kitchen", 6), (e: unknown) => {
    assert.ok(e instanceof SessionBusyError);
    assert.match(e.message, /4 requests waiting/);
    return true;
  });
  const other = ask("garage", 1); // another session is not held up
  const answers = await Promise.all([...accepted, other]);
  assert.equal(answers.length, 6);
  // Answered, the session takes requests again.
  assert.match((await ask("kitchen", 7)).text, /question 7/);
  await t.service.closeAll();
});

/** Saves a chat that was stopped before its reflection (by default one exchange). */
async function stoppedChat(
  dir: string,
  name: string,
  messages: { role: string; content: string }[] = [user(`${name} note`), assistant("ok")],
): Promise<void> {
  await new TranscriptStore(`${dir}/sessions`).save({
    name,
    model: "llama3.2:3b",
    created: "2026-11-01T10:00:00Z",
    updated: "2026-11-01T10:00:00Z",
    message_count: messages.length,
    messages,
    extra: { reflected_through: 0 },
  });
}

Deno.test("Conversations' sweep reflects pending sessions whole (in parts), once, and not those open", async () => {
  await using t = await setup();
  // A chat stopped before its reflection, 70 messages long: more than one reflection prompt takes.
  const messages = Array.from({ length: 70 }, (_, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content: `garden note ${i}`,
  }));
  await stoppedChat(t.dir, "garden", messages);
  // An API session whose reflection failed (the model server was down), and one still open.
  await t.service.answer({
    session: "k",
    messages: [user("lights on in the kitchen")],
    model: null,
  });
  t.llm.options.failStatus = 503;
  assert.match((await t.service.endSession("k")).error ?? "", /503/);
  delete t.llm.options.failStatus;
  await t.service.answer({ session: "open", messages: [user("hallway lights on")], model: null });

  t.service.start();
  t.clock.time += 60_000;
  await until(() => t.reflections.length === 4);
  const [first, second, third, fourth] = reflected(t);
  assert.match(first!, /garden note 0\b/, "from the first unreflected message");
  assert.match(second!, /garden note 23\b/);
  assert.match(third!, /garden note 69\b/);
  assert.match(fourth!, /lights on in the kitchen/);
  assert.ok(reflected(t).every((r) => !r.includes("hallway")), "an open session is left alone");
  const garden = JSON.parse(await Deno.readTextFile(`${t.dir}/sessions/garden.json`));
  assert.equal(garden.reflected_through, 70);

  await until(() => t.clock.pending === 1);
  t.clock.time += 60_000; // the next sweep finds nothing pending
  await until(() => t.clock.pending === 1);
  assert.equal(t.reflections.length, 4);
  await t.service.close();
  assert.equal(t.reflections.length, 5, "the open session is reflected when the daemon stops");
});

Deno.test("Conversations: a model server down at a session's end stores nothing; the session stays pending until the next sweep", async () => {
  await using t = await setup();
  await t.service.answer({
    session: "k",
    messages: [user("lights on in the kitchen")],
    model: null,
  });
  const port = Number(new URL(t.llm.url).port);
  await t.llm.close(); // down: its port is closed
  const end = await t.service.endSession("k");
  assert.equal(end.reflected, false);
  assert.match(end.error ?? "", /127\.0\.0\.1/);
  assert.deepEqual(t.store.episodes.list(), [], "nothing half-written");
  const saved = JSON.parse(await Deno.readTextFile(`${t.dir}/sessions/api-k.json`));
  assert.equal(saved.reflected_through, 0);
  assert.match(saved.reflection_pending.reason, /^reflection failed: /);

  await using _back = await startFakeLlm({ port, reply: () => REFLECTION }); // up again
  const [outcome] = await t.service.reflectPending();
  assert.equal(outcome?.name, "api-k");
  assert.equal(outcome?.end?.episode.ok, true);
  assert.deepEqual(t.store.episodes.list().map((e) => e.name), ["api-k"]);
  assert.deepEqual(await t.service.reflectPending(), [], "reflected once");
});

Deno.test("Conversations: stopping, the daemon leaves pending chats for next time instead of reflecting them", async () => {
  await using t = await setup();
  await stoppedChat(t.dir, "garden");
  await stoppedChat(t.dir, "shed");
  const sweeping = t.service.reflectPending();
  assert.equal(await t.service.close(), true);
  assert.deepEqual(await sweeping, []);
  assert.equal(t.reflections.length, 0, "its deadline is kept for the open sessions");
});

Deno.test("Conversations: a pending chat that keeps failing is swept ever more rarely", async () => {
  await using t = await setup();
  await stoppedChat(t.dir, "garden");
  t.llm.options.reply = (messages, model) => {
    const system = messages.find((m) => m.role === "system")?.content ?? "";
    if (system.includes("conversation")) t.reflections.push(messages);
    return system.includes("conversation") ? "" : defaultReply(messages, model); // no summary
  };
  const attempts = () => t.reflections.length / 2; // a JSON reflection, then a plain summary
  await t.service.reflectPending();
  await t.service.reflectPending();
  assert.equal(attempts(), 2, "a second try at once: the server may have been down");
  await t.service.reflectPending();
  assert.equal(attempts(), 2, "after two failures in a row, it waits a minute");
  t.clock.time += 60_000;
  await t.service.reflectPending();
  assert.equal(attempts(), 3);
  t.clock.time += 60_000;
  await t.service.reflectPending();
  assert.equal(attempts(), 3, "then two minutes");
  const saved = JSON.parse(await Deno.readTextFile(`${t.dir}/sessions/garden.json`));
  assert.equal(saved.reflection_pending.attempts, 3);
});
