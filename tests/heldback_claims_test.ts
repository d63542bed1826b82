/**
 * Held-back suite for claim-level grounding (issue 13), end to end through the CLI against a
 * model server whose reflection is scripted per scenario. Fresh wording and values, apart from
 * tests/claims_test.ts: versions, dates, sizes in other units, quoted phrases, days in a
 * decision, a French reflection, JSON cut mid-array, hundreds of claims, `--json`'s shape.
 */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { answerPrompts, reflecting, type Reflection } from "./support/reflecting.ts";

/** Runs `said` as one chat whose reflection is `reflection`; returns its stderr. */
async function oneChat(reflection: Reflection | string, said: string) {
  await using fake = await startFakeLlm({ reply: reflecting(() => reflection) });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const run = await runMain(["chat", "-s", "one"], { env, stdin: said });
  assert.equal(run.code, 0, run.stderr);
  const sessions = JSON.parse((await runMain(["memory", "--sessions", "--json"], { env })).stdout);
  return { stderr: run.stderr, sessions };
}

Deno.test("held back: a date one digit off is named with the date that was said", async () => {
  const { stderr } = await oneChat(
    { summary: "The database migration is set for 2026-04-21. It moves the orders schema." },
    "The database migration is set for 2026-04-12.\nIt moves the orders schema.\n",
  );
  assert.match(stderr, /done\. \(grounding: 50%\)/);
  assert.match(
    stderr,
    /\n {2}not recalled: "The database migration is set for 2026-04-21\." — 2026-04-21 never came up; 2026-04-12 was said\n/,
  );
});

Deno.test("held back: a decision with the wrong number of days", async () => {
  const { stderr, sessions } = await oneChat(
    { summary: "We set the log retention.", decisions: ["Keep the access logs for 90 days"] },
    "Keep the access logs for 30 days.\nThat is the log retention settled.\n",
  );
  assert.match(
    stderr,
    /not recalled: "Keep the access logs for 90 days" — 90 days never came up; 30 days was said/,
  );
  const decision = sessions[0].claims.find((c: { kind: string }) => c.kind === "decision");
  assert.equal(decision.grounded, false);
});

Deno.test("held back: an invented quoted phrase", async () => {
  const { stderr } = await oneChat(
    { summary: 'The login banner now reads "Welcome home, operator".' },
    'Change the login banner to "Welcome back".\nThanks.\n',
  );
  assert.match(stderr, /done\. \(grounding: 0%\)/);
  assert.match(stderr, /not recalled: "The login banner now reads .Welcome home, operator.\." — /);
  assert.match(stderr, /Welcome home, operator never came up/);
});

Deno.test("not held back: true claims in other words (8192 MB is 8 GB, two weeks is 14 days, 2 pm is 14:00)", async () => {
  const { stderr, sessions } = await oneChat(
    {
      summary:
        "The build VM has 8 GB of memory. Its disk images are kept for two weeks. The nightly build starts at 14:00 on Node.js 22.",
    },
    "My build VM has 8192 MB of memory.\nWe keep its disk images 14 days.\n" +
      "The nightly build starts at 2 pm and runs on node.js 22.\n",
  );
  assert.match(stderr, /done\. \(grounding: 100%\)/);
  assert.doesNotMatch(stderr, /not recalled/);
  assert.ok(sessions[0].claims.every((c: { grounded: boolean }) => c.grounded));
});

Deno.test("not held back: dates, counts and days said another way (April 12, 2026; 1,500; Dec 5; twenty-four; mondays at noon)", async () => {
  const { stderr } = await oneChat(
    {
      summary: "The cutover is on 2026-04-12. The budget is 1500 euros. " +
        "The freeze starts on December 5. The cluster has 24 cores. Deploys happen on Mondays at 12:00.",
    },
    "The cutover is on April 12, 2026.\nThe budget is 1,500 euros.\n" +
      "The freeze starts Dec 5; the cluster has twenty-four cores.\nwe deploy on monday at noon\n",
  );
  assert.match(stderr, /done\. \(grounding: 100%\)/);
  assert.doesNotMatch(stderr, /not recalled/);
});

Deno.test("a French reflection: grammar is not a name, the invented host is held back", async () => {
  const { stderr } = await oneChat(
    {
      summary:
        "Nous avons réglé les sauvegardes à 03:00. Le serveur de sauvegarde s'appelle Brindille.",
    },
    "Les sauvegardes tournent à 03:00.\nEt le serveur de sauvegarde?\n",
  );
  assert.match(stderr, /done\. \(grounding: 50%\)/);
  assert.match(
    stderr,
    /not recalled: "Le serveur de sauvegarde s'appelle Brindille\." — Brindille never came up/,
  );
  assert.doesNotMatch(stderr, /Nous never came up/);
});

Deno.test("a Chinese reflection: the true sentence is recalled, the invented cloud server held back", async () => {
  const { stderr, sessions } = await oneChat(
    { summary: "备份保存到外部硬盘。备份保存到云端服务器。" },
    "备份每天晚上两点运行，保存到外部硬盘。\n好的。\n",
  );
  assert.match(stderr, /done\. \(grounding: 50%\)/);
  assert.match(stderr, /not recalled: "备份保存到云端服务器。" — its words never came up/);
  assert.deepEqual(sessions[0].claims.map((c: { grounded: boolean }) => c.grounded), [true, false]);
});

Deno.test("a reflection cut mid-array keeps its complete decisions and says so", async () => {
  const { stderr, sessions } = await oneChat(
    '{"summary": "We fixed the Caddy reverse proxy.", "decisions": ["Reload Caddy after each edit", "Pin Cad',
    "The Caddy reverse proxy is broken.\nI will reload Caddy after each edit.\n",
  );
  assert.match(stderr, /done\. \(grounding: 100%\)/);
  assert.match(stderr, /broken JSON: only its complete parts were kept/);
  assert.deepEqual(
    sessions[0].claims.map((c: { kind: string; text: string }) => [c.kind, c.text]),
    [["summary", "We fixed the Caddy reverse proxy."], [
      "decision",
      "Reload Caddy after each edit",
    ]],
  );
});

Deno.test("a reflection of 500 decisions is capped and the user told; nothing else lost", async () => {
  const decisions = Array.from({ length: 500 }, (_, i) => `Rotate the key number ${i}`);
  const { stderr, sessions } = await oneChat(
    { summary: "We rotated the API keys.", decisions },
    "Rotate the API keys.\nRotate the key number 1 first.\n",
  );
  assert.match(stderr, /\(reflection too long: \d+ more claims were cut/);
  assert.equal(sessions.length, 1);
  assert.ok(sessions[0].claims.length <= 40, `${sessions[0].claims.length} claims`);
  assert.equal(sessions[0].claims[0].text, "We rotated the API keys.");
});

Deno.test("memory --sessions --json: each claim has kind, text, grounded, reason, quarantined; a long claim is cut at 80", async () => {
  const long = "We agreed to move every nightly export of the invoices to the Xandrilon " +
    "archive tier, which keeps copies for the auditors.";
  const { stderr, sessions } = await oneChat(
    { summary: `We looked at the invoices export. ${long}` },
    "Let us look at the invoices export.\nIt runs nightly for the auditors.\n",
  );
  const line = stderr.split("\n").find((l) => l.includes("not recalled:"))!;
  assert.equal(line, `  not recalled: "${long.slice(0, 79)}…" — Xandrilon never came up`);
  const [session] = sessions;
  for (const claim of session.claims) {
    assert.deepEqual(
      [typeof claim.kind, typeof claim.text, typeof claim.grounded, typeof claim.reason],
      ["string", "string", "boolean", "string"],
    );
    assert.equal(claim.quarantined, false);
  }
  assert.deepEqual(session.claims.map((c: { kind: string }) => c.kind), ["summary", "summary"]);
  assert.equal(session.claims[1].text, long, "stored whole, cut only on display");
  assert.equal(session.claims[1].reason, "Xandrilon never came up");
});

Deno.test("a document on Postgres 16 outranks a memory of Postgres 15; chat --debug names held-back claims", async () => {
  let reflection: Reflection = {
    summary: "The reporting host runs Postgres 15. Its replica lives on Quillmoor.",
  };
  await using fake = await startFakeLlm({ reply: reflecting(() => reflection) });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const first = await runMain(["chat", "-s", "pg"], {
    env,
    stdin: "The reporting host runs Postgres 15.\nWhere should its replica live?\n",
  });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /not recalled: "Its replica lives on Quillmoor\." — Quillmoor never/);
  await Deno.writeTextFile(
    `${dir.home}/hosts.md`,
    "# Hosts\n\nThe reporting host runs Postgres 16 since the upgrade.\n",
  );
  const ingest = await runMain(["library", "ingest", `${dir.home}/hosts.md`], { env });
  assert.equal(ingest.code, 0, ingest.stderr);

  reflection = { summary: "We talked about the reporting host." };
  const second = await runMain(["chat", "-s", "again", "--debug"], {
    env,
    stdin: "What did we discuss last time about the reporting host and Postgres?\n",
  });
  assert.equal(second.code, 0, second.stderr);
  assert.match(
    second.stderr,
    /held back claim #c\d+ "Its replica lives on Quillmoor\." — Quillmoor/,
  );
  assert.match(
    second.stderr,
    /dropped claim #c\d+ "The reporting host runs Postgres 15\." — the document says 16/,
  );
  const prompt = answerPrompts(fake).at(-1)!;
  assert.match(prompt, /When a document and a memory disagree, the document is right\./);
  assert.doesNotMatch(prompt, /Postgres 15|Quillmoor/);
});

Deno.test("a document about the same server with other numbers does not drop a true port", async () => {
  await using fake = await startFakeLlm({
    reply: reflecting(() => ({ summary: "The reporting Postgres server listens on port 5432." })),
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const first = await runMain(["chat", "-s", "port"], {
    env,
    stdin: "The reporting Postgres server listens on port 5432.\nGood.\n",
  });
  assert.equal(first.code, 0, first.stderr);
  await Deno.writeTextFile(
    `${dir.home}/pg.md`,
    "# Reporting\n\nThe reporting Postgres server was upgraded to 16 in 2023.\n",
  );
  assert.equal((await runMain(["library", "ingest", `${dir.home}/pg.md`], { env })).code, 0);
  const second = await runMain(["chat", "-s", "ask", "--debug"], {
    env,
    stdin: "What did we discuss last time about the reporting Postgres server port?\n",
  });
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /dropped claim/);
  assert.match(answerPrompts(fake).at(-1)!, /listens on port 5432\./);
});

Deno.test("a value found only in a document retrieved in the session is grounded", async () => {
  const reflection = reflecting(() => ({
    summary: "The Frobnitz appliance listens on port 8443.",
  }));
  // The gate sends the question to the documents.
  await using fake = await startFakeLlm({
    reply: (messages, model) =>
      messages[0]?.content.startsWith("Classify the user's message")
        ? '{"tool": "rag", "mode": "explore", "scope": "docs"}'
        : reflection(messages, model),
  });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await Deno.writeTextFile(
    `${dir.home}/frobnitz.md`,
    "# Frobnitz\n\nThe Frobnitz appliance listens on port 8443 for its admin console.\n",
  );
  assert.equal((await runMain(["library", "ingest", `${dir.home}/frobnitz.md`], { env })).code, 0);
  const run = await runMain(["chat", "-s", "doc"], {
    env,
    stdin: "Which port does the Frobnitz appliance listen on, per my documents?\nThanks.\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /done\. \(grounding: 100%\)/);
});
