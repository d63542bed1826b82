/** Facts through `mycoswarm memory` and chat's /remember, /memories, /forget, /stale. */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
// Released migrations never change, so those up to 1 build exactly what an old program wrote.
import { MIGRATIONS } from "../lib/store/migrations.ts";
import { runMain, tempHome } from "./support/run_cli.ts";
import { type FakeMessage, startFakeLlm } from "../testing/fake_llm.ts";

Deno.test("memory --add / --forget / list, with types and ids never reused", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const added = await runMain(["memory", "--add", "pref: short answers"], { env });
  assert.equal(added.code, 0, added.stderr);
  assert.equal(added.stdout, "Remembered #1 (preference): short answers\n");
  await runMain(["memory", "--add", "I live in Oslo"], { env });
  const forgot = await runMain(["memory", "--forget", "2"], { env });
  assert.equal(forgot.stdout, "Forgot #2: I live in Oslo\n");
  const third = JSON.parse(
    (await runMain(["memory", "--json", "--add", "temp: dentist at 3"], { env })).stdout,
  );
  assert.equal(third.fact.id, 3);
  assert.equal(third.fact.type, "ephemeral");
  const list = JSON.parse((await runMain(["memory", "--json"], { env })).stdout);
  assert.deepEqual(list.map((f: { id: number; stale: boolean }) => [f.id, f.stale]), [
    [1, false],
    [3, false],
  ]);
  const missing = await runMain(["memory", "--forget", "2"], { env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /There is no fact #2/);
  const bad = await runMain(["memory", "--forget", "two"], { env });
  assert.equal(bad.code, 2);
});

Deno.test("chat /remember puts the fact into the system prompt of later answers", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const run = await runMain(["chat", "-s", "facts"], {
    env,
    stdin: "/remember project: mushroom farm in the cellar\n/memories\nhow is it going?\n" +
      "/forget 1\n/memories\n/stale\n/remember\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Remembered #1 \(project\): mushroom farm in the cellar/);
  assert.match(run.stdout, /#1 +project +mushroom farm in the cellar\n/);
  assert.match(run.stdout, /Forgot #1: mushroom farm in the cellar/);
  assert.match(run.stdout, /No facts yet/);
  assert.match(run.stdout, /No stale facts\./);
  assert.match(run.stderr, /Nothing to remember/);
  const call = fake.requests.find((r) => r.path === "/api/chat");
  const messages = (call?.body as { messages: { role: string; content: string }[] }).messages;
  assert.equal(messages[0]?.role, "system");
  assert.match(messages[0]!.content, /Active projects:\n- mushroom farm in the cellar/);
});

Deno.test("chat /procedure, /library, /rag and /debug", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await Deno.writeTextFile(`${dir.home}/pump.md`, "# Pump\n\nClean the pond pump every April.\n");
  await runMain(["library", "ingest", `${dir.home}/pump.md`], { env });
  const run = await runMain(["chat", "-s", "cmds"], {
    env,
    stdin: "/procedure add pump clogs | rinse the filter sponge\n/procedure list\n" +
      "/procedure add missing bar\n/library\n/debug\n/rag when do I clean the pump?\n" +
      "/procedure remove 1\n/procedure remove 1\n",
  });
  assert.match(run.stdout, /Procedure #1: pump clogs → rinse the filter sponge/);
  assert.match(run.stdout, /#1 \(user, used 0×\) pump clogs → rinse the filter sponge/);
  assert.match(run.stderr, /Use: \/procedure add <problem> \| <solution>/);
  assert.match(run.stdout, /pump\.md \(1 chunks\)\n1 documents, 1 chunks/);
  assert.match(run.stdout, /Debug output on\./);
  assert.match(run.stderr, /\[intent\] tool=rag mode=explore scope=docs \(command, 0 ms\)/);
  assert.match(run.stdout, /Sources:\n {2}\[D1\] .*pump\.md › Pump/);
  assert.match(run.stdout, /Removed procedure #1/);
  assert.match(run.stderr, /There is no procedure '1'/);
});

Deno.test("memory --sessions, --quarantined and --restore", async () => {
  await using fake = await startFakeLlm({
    reply: (messages) =>
      messages[0]?.content.includes("review a finished conversation")
        ? '{"summary": "We talked about Zorblax and Quendra.", "tone": "flow"}'
        : "ok",
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await runMain(["chat", "-s", "a"], { env, stdin: "tell me about cooking pasta tonight\n" });
  const sessions = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  assert.equal(sessions.length, 1);
  assert.equal(sessions[0].indexed, false, "invented names: grounding too low to be recalled");
  assert.ok(sessions[0].grounding < 0.3);
  const text = await runMain(["memory", "--sessions"], { env });
  assert.match(
    text.stdout,
    /^#1 \d{4}-\d{2}-\d{2} \(flow, grounding \d+%, not recalled\) We talked/m,
  );
  assert.equal(
    (await runMain(["memory", "--quarantined"], { env })).stdout,
    "Nothing is quarantined.\n",
  );
  const restore = await runMain(["memory", "--restore", "1"], { env });
  assert.equal(restore.code, 2);
  assert.match(restore.stderr, /is not quarantined/);
  assert.equal((await runMain(["memory", "--restore", "9"], { env })).code, 1);
});

/** A home written by a program of schema 1: its reflections in the table `sessions`. */
function writeSchema1Home(home: string, endedAt: string) {
  const db = new DatabaseSync(`${home}/memory.db`);
  try {
    for (const m of MIGRATIONS.filter((m) => m.version <= 1)) db.exec(m.sql);
    db.exec("PRAGMA user_version = 1");
    const session = db.prepare(
      `INSERT INTO sessions (name, ended_at, message_count, summary, tone, grounding, quarantined)
       VALUES (?, ?, 4, ?, ?, ?, ?)`,
    );
    session.run("kitchen", endedAt, "We planned the pond pump cleaning for April.", "flow", 0.9, 0);
    session.run("garage", endedAt, "Zorblax runs the garage.", "neutral", 0.2, 1);
    db.prepare("INSERT INTO lessons (session_id, text, created_at) VALUES (1, ?, ?)")
      .run("Rinse the filter sponge first", endedAt);
    db.exec(
      `INSERT INTO index_log (collection, op, item_id)
       VALUES ('sessions', 'add', 1), ('sessions', 'add', 1000000001)`,
    );
  } finally {
    db.close();
  }
}

Deno.test("an old home (schema 1) keeps its session memories: listed, recalled, restorable", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const endedAt = new Date().toISOString();
  writeSchema1Home(dir.home, endedAt);

  const listed = await runMain(["memory", "--sessions", "--json"], { env });
  assert.equal(listed.code, 0, listed.stderr);
  const rows = JSON.parse(listed.stdout);
  assert.deepEqual(
    rows.map((r: Record<string, unknown>) => [r.id, r.name, r.ended_at, r.lessons, r.indexed]),
    [[1, "kitchen", endedAt, ["Rinse the filter sponge first"], true]],
  );
  const quarantined = JSON.parse(
    (await runMain(["memory", "--quarantined", "--json"], { env })).stdout,
  );
  assert.deepEqual(quarantined.map((r: { id: number }) => r.id), [2]);

  const chat = await runMain(["chat", "-s", "new", "--debug"], {
    env,
    stdin: "What did we discuss last time?\n",
  });
  assert.equal(chat.code, 0, chat.stderr);
  assert.doesNotMatch(chat.stderr, /rebuilt it from the database/);
  const system = fake.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => (r.body as { messages: FakeMessage[] }).messages[0]?.content ?? "")
    .find((s) => s.includes("Session memories"));
  assert.match(system ?? "", /we discussed \(flow\): We planned the pond pump cleaning/);

  const restored = await runMain(["memory", "--restore", "2"], { env });
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal(restored.stdout, "Restored session memory #2: Zorblax runs the garage.\n");
  const after = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  // Vouched for whole: its sentence is a restored claim, recalled from now on.
  const garage = after.find((r: { id: number }) => r.id === 2);
  assert.deepEqual(
    garage.claims.map((c: Record<string, unknown>) => [c.text, c.restored, c.quarantined]),
    [["Zorblax runs the garage.", true, false]],
  );
  const asked = await runMain(["chat", "-s", "later", "--debug"], {
    env,
    stdin: "Who runs the garage, Zorblax?\n",
  });
  assert.equal(asked.code, 0, asked.stderr);
  const recalled = fake.requests
    .filter((r) => r.path === "/api/chat")
    .map((r) => (r.body as { messages: FakeMessage[] }).messages[0]?.content ?? "")
    .filter((s) => s.includes("Session memories")).at(-1);
  assert.match(recalled ?? "", /Zorblax runs the garage/, "the restored session is recalled");
  // The new chat's own reflection follows the old rows' ids.
  assert.deepEqual(
    after.map((r: { id: number; name: string }) => [r.id, r.name]).sort(),
    [[1, "kitchen"], [2, "garage"], [3, "new"]],
  );
});
