/**
 * Claim-level memory end to end, through the CLI against a model server whose reflection is
 * scripted per scenario: laundering, wrong values, one invention among true claims, a terse
 * true summary, a document that outranks a memory.
 */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { EVIDENCE, INVENTED, NINE_TRUE } from "../testing/nine_true_claims.ts";
import { answerPrompts, reflecting, type Reflection } from "./support/reflecting.ts";

Deno.test("laundering: an invention repeated in three sessions is never grounded nor recalled", async () => {
  let reflection: Reflection = {
    summary: "We looked at the nightly backups. We planned to migrate the backups to Zorblax.",
  };
  await using fake = await startFakeLlm({ reply: reflecting(() => reflection) });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };

  const first = await runMain(["chat", "-s", "one"], {
    env,
    stdin: "Let us look at the nightly backups.\nThey take long; maybe migrate them somewhere.\n",
  });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /done\. \(grounding: 50%\)/);
  assert.match(
    first.stderr,
    /\n {2}not recalled: "We planned to migrate the backups to Zorblax\." — Zorblax never came up\n/,
  );

  // The model repeats the invention in the next sessions; the user never says it.
  reflection = {
    summary: "We discussed the nightly backups again. The backups move to Zorblax next week.",
  };
  for (const name of ["two", "three"]) {
    const later = await runMain(["chat", "-s", name], {
      env,
      stdin: "What did we discuss last time about the nightly backups?\nOK, thanks.\n",
    });
    assert.equal(later.code, 0, later.stderr);
    assert.match(later.stderr, /not recalled: "The backups move to Zorblax next week\." — Zorblax/);
  }
  const prompts = answerPrompts(fake);
  assert.ok(
    prompts.some((p) => p.includes("We looked at the nightly backups.")),
    "true part recalled",
  );
  for (const prompt of prompts) assert.doesNotMatch(prompt, /Zorblax/);

  const sessions = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  const zorblax = sessions.flatMap((s: { claims: { text: string }[] }) => s.claims)
    .filter((c: { text: string }) => c.text.includes("Zorblax"));
  assert.equal(zorblax.length, 3);
  assert.ok(zorblax.every((c: { grounded: boolean }) => !c.grounded));
  assert.ok(zorblax.every((c: { quarantined: boolean }) => c.quarantined), "a loop: quarantined");
});

Deno.test("wrong values are held back: 05:00, 400 snapshots and 64 GB where the user said otherwise", async () => {
  await using fake = await startFakeLlm({
    reply: reflecting(() => ({
      summary: "The backups run at 05:00. They keep 400 snapshots. The NAS has 64 GB of RAM.",
      decisions: ["Keep 40 snapshots"],
    })),
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const run = await runMain(["chat", "-s", "values"], {
    env,
    stdin: "My backups run at 02:00 and keep 40 snapshots.\nThe NAS has 8 GB of RAM.\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /done\. \(grounding: 25%\)/);
  assert.match(
    run.stderr,
    /not recalled: "The backups run at 05:00\." — 05:00 never came up; 02:00 was said/,
  );
  assert.match(run.stderr, /not recalled: "They keep 400 snapshots\." — 400 never came up; 40 was/);
  assert.match(run.stderr, /"The NAS has 64 GB of RAM\." — 64 GB never came up; 8 GB was said/);

  const text = (await runMain(["memory", "--sessions"], { env })).stdout;
  assert.match(text, /^ {2}not recalled: "The backups run at 05:00\." — 05:00 never came up/m);
  const [session] = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  assert.deepEqual(
    session.claims.map((c: { kind: string; grounded: boolean }) => [c.kind, c.grounded]),
    [["summary", false], ["summary", false], ["summary", false], ["decision", true]],
  );
});

Deno.test("9 true claims and 1 invented: the invention is named at the end, the nine recalled", async () => {
  await using fake = await startFakeLlm({
    reply: reflecting(() => ({
      summary: NINE_TRUE.join(" "),
      decisions: [INVENTED],
    })),
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const first = await runMain(["chat", "-s", "pi"], { env, stdin: `${EVIDENCE.join("\n")}\n` });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /done\. \(grounding: 90%\)/);
  const heldBack = first.stderr.split("\n").filter((l) => l.includes("not recalled:"));
  assert.deepEqual(heldBack, [
    `  not recalled: "${INVENTED}" — ` +
    "Zorblax, Quendra, Cloud never came up",
  ]);

  const second = await runMain(["chat", "-s", "next"], {
    env,
    stdin: "What did we discuss last time?\n",
  });
  assert.equal(second.code, 0, second.stderr);
  const prompt = answerPrompts(fake).at(-1)!;
  for (const claim of NINE_TRUE) assert.ok(prompt.includes(claim), claim);
  assert.doesNotMatch(prompt, /Zorblax|Quendra/);
});

Deno.test("a terse true summary is grounded and recalled", async () => {
  await using fake = await startFakeLlm({
    reply: reflecting(() => ({
      summary: "Discussed backup retention. Decided to keep seven daily archives.",
    })),
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const first = await runMain(["chat", "-s", "retention"], {
    env,
    stdin: "Let us settle the backup retention.\nkeep 7 daily archives of the backup retention\n",
  });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /done\. \(grounding: 100%\)/);
  assert.doesNotMatch(first.stderr, /not recalled/);
  await runMain(["chat", "-s", "later"], { env, stdin: "What did we discuss last time?\n" });
  assert.match(answerPrompts(fake).at(-1)!, /Decided to keep seven daily archives\./);
});

Deno.test("a document saying 02:00 outranks a session that said 05:00", async () => {
  await using fake = await startFakeLlm({
    reply: reflecting(() => ({ summary: "The backups run at 05:00. They go to Backblaze." })),
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  // The user said 05:00: the claim is grounded in its session.
  const first = await runMain(["chat", "-s", "old"], {
    env,
    stdin: "The backups run at 05:00.\nThey go to Backblaze.\n",
  });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /done\. \(grounding: 100%\)/);
  await Deno.writeTextFile(`${dir.home}/nas.md`, "# NAS\n\nThe backups run at 02:00.\n");
  await runMain(["library", "ingest", `${dir.home}/nas.md`], { env });

  const second = await runMain(["chat", "-s", "new", "--debug"], {
    env,
    stdin: "What did we discuss last time about when the backups run?\n",
  });
  assert.equal(second.code, 0, second.stderr);
  assert.match(
    second.stderr,
    /\[recall\] session 1: dropped claim #c1 "The backups run at 05:00\." — the document says 02:00, not 05:00/,
  );
  const prompt = answerPrompts(fake).at(-1)!;
  assert.match(prompt, /When a document and a memory disagree, the document is right\./);
  assert.match(prompt, /They go to Backblaze\./);
  assert.doesNotMatch(prompt, /05:00/);
});
