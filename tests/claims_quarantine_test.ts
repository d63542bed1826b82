/**
 * Poison loops claim by claim, restores that stick, and bad reflections, end to end through
 * the CLI against a model server whose reflection is scripted per session.
 */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { answerPrompts, reflecting } from "./support/reflecting.ts";

type Claim = { id: string; text: string; grounded: boolean; quarantined: boolean };
type Session = { id: number; claims: Claim[] };

async function sessions(env: Record<string, string>, flag = "--sessions"): Promise<Session[]> {
  const run = await runMain(["memory", flag, "--json"], { env });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const claimsWith = (rows: Session[], word: string) =>
  rows.flatMap((s) => s.claims).filter((c) => c.text.includes(word));

/** Three sessions with three real names each and the same invented product, Vextor. */
const VEXTOR_SESSIONS = [
  {
    said: "Tune Postgres and Grafana for me.\nNginx needs a look too.\n",
    summary: "We tuned Postgres, Grafana and Nginx. We added Vextor as a cache for Postgres.",
  },
  {
    said: "Redis and Caddy need work.\nAlso check Prometheus.\n",
    summary: "We set up Redis, Caddy and Prometheus. Vextor now caches Redis.",
  },
  {
    said: "Let us look at Traefik, Loki and Tempo.\nThanks.\n",
    summary: "We configured Traefik, Loki and Tempo. Vextor handles the Loki cache.",
  },
];

Deno.test("an invented product in three otherwise true sessions is quarantined as a claim; a restore sticks", async () => {
  let summary = "";
  await using fake = await startFakeLlm({ reply: reflecting(() => ({ summary })) });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  for (const [i, s] of VEXTOR_SESSIONS.entries()) {
    summary = s.summary;
    const run = await runMain(["chat", "-s", `s${i}`], { env, stdin: s.said });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /done\. \(grounding: 50%\)/);
    assert.match(run.stderr, /not recalled: ".*Vextor.*" — Vextor never came up/);
  }
  const quarantined = await sessions(env, "--quarantined");
  assert.equal(quarantined.length, 3, "each session has its Vextor claim quarantined");
  const vextor = claimsWith(quarantined, "Vextor");
  assert.deepEqual(vextor.map((c) => c.quarantined), [true, true, true]);
  // The true claims stay recalled.
  const real = quarantined.flatMap((s) => s.claims).filter((c) => !c.text.includes("Vextor"));
  assert.ok(real.every((c) => c.grounded && !c.quarantined));
  const listed = await runMain(["memory", "--quarantined"], { env });
  assert.match(listed.stdout, /not recalled: ".*Vextor.*" — quarantined: Vextor never came up/);

  // The user vouches for the first session's Vextor claim: it is recalled and stays restored.
  const first = vextor.at(-1)!; // sessions are listed newest first
  const restore = await runMain(["memory", "--restore", first.id], { env });
  assert.equal(restore.code, 0, restore.stderr);
  assert.match(
    restore.stdout,
    /^Restored claim #c\d+: We added Vextor as a cache for Postgres\.$/m,
  );
  // Named as the listings show it ("[#c12]"), it is the same claim.
  const twice = await runMain(["memory", "--restore", `#${first.id}`], { env });
  assert.match(twice.stderr, /^mycoswarm: Claim #c\d+ is already recalled; nothing to restore$/m);
  summary = "We looked at Postgres again. Vextor is still the Postgres cache.";
  const again = await runMain(["chat", "-s", "s4"], {
    env,
    stdin: "What did we discuss last time about Postgres?\nOK.\n",
  });
  assert.equal(again.code, 0, again.stderr);
  assert.ok(
    answerPrompts(fake).some((p) => p.includes("We added Vextor as a cache for Postgres.")),
    "the restored claim is recalled",
  );
  const after = claimsWith(await sessions(env), "Vextor");
  const restored = after.find((c) => c.id === first.id)!;
  assert.equal(restored.quarantined, false, "not quarantined again on the same evidence");
  // The vouched-for memory was in the prompt: the new session's repetition inherits its standing.
  const newest = after.find((c) => c.text.startsWith("Vextor is still"))! as Claim & {
    reason: string;
  };
  assert.deepEqual([newest.grounded, newest.quarantined, newest.reason], [
    true,
    false,
    `supported by memory #${first.id}`,
  ]);
});

Deno.test("two genuine Kubernetes/Helm sessions with different slips are not quarantined", async () => {
  let summary = "";
  await using fake = await startFakeLlm({ reply: reflecting(() => ({ summary })) });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  summary = "We set up Kubernetes with Helm 3.2. The Kubernetes ingress listens on port 443.";
  await runMain(["chat", "-s", "k1"], {
    env,
    stdin: "I run Kubernetes with Helm 3.12 on three nodes.\nThe ingress listens on port 443.\n",
  });
  summary = "Kubernetes runs Grafana from Helm charts. Grafana needs 4 GB of memory.";
  await runMain(["chat", "-s", "k2"], {
    env,
    stdin: "My Kubernetes cluster runs Grafana from Helm charts.\nGrafana needs 2 GB of memory.\n",
  });
  summary = "We talked about Kubernetes and Helm.";
  const recall = await runMain(["chat", "-s", "k3", "--debug"], {
    env,
    stdin: "What did we discuss last time about Kubernetes and Helm?\n",
  });
  assert.equal(recall.code, 0, recall.stderr);
  assert.equal(
    (await runMain(["memory", "--quarantined"], { env })).stdout,
    "Nothing is quarantined.\n",
  );
  const prompt = answerPrompts(fake).at(-1)!;
  assert.match(prompt, /The Kubernetes ingress listens on port 443\./);
  assert.match(prompt, /Kubernetes runs Grafana from Helm charts\./);
  assert.doesNotMatch(prompt, /Helm 3\.2|4 GB/);
  assert.match(
    recall.stderr,
    /held back claim #c\d+ "We set up Kubernetes with Helm 3\.2\." — 3\.2 never came up; 3\.12 was said/,
  );
});

Deno.test("bad reflections: broken JSON keeps its complete parts, hundreds of claims and 300 kB are capped", async () => {
  let reply = "";
  await using fake = await startFakeLlm({ reply: reflecting(() => reply) });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };

  reply =
    '{"summary": "We fixed the Nginx 502 errors.", "lessons": ["Check the upstream port", "Rest';
  const broken = await runMain(["chat", "-s", "broken"], {
    env,
    stdin: "My Nginx returns 502 errors.\nI will check the upstream port.\n",
  });
  assert.equal(broken.code, 0, broken.stderr);
  assert.match(
    broken.stderr,
    /done\. \(grounding: 100%\)\n {2}\(the model's reflection was broken JSON: only its complete parts were kept\)/,
  );
  assert.match(broken.stderr, /Lesson: Check the upstream port/);

  const sentence = "We talked about the backups again and again. ";
  reply = JSON.stringify({
    summary: sentence.repeat(Math.ceil(300_000 / sentence.length)),
    lessons: Array.from({ length: 300 }, (_, i) => `Backups need check number ${i}`),
  });
  const huge = await runMain(["chat", "-s", "huge"], {
    env,
    stdin: "Tell me about the backups.\nAnd again about the backups.\n",
  });
  assert.equal(huge.code, 0, huge.stderr);
  assert.match(
    huge.stderr,
    /\(reflection too long: \d+ more claims were cut; a reflection keeps at most 40 claims and 2000 characters of summary\)/,
  );
  const stored = (await sessions(env)).find((s) => s.claims.length > 2) as
    & Session
    & { summary: string; lessons: string[] };
  assert.ok(stored.summary.length <= 2_000, `summary of ${stored.summary.length} characters`);
  assert.ok(stored.claims.length <= 40);
  assert.ok(stored.lessons.length <= 10);

  reply = JSON.stringify({
    summary: "Wir haben die Sicherungen um 05:00 besprochen. Die Datenbank läuft auf Größenwahn.",
  });
  const german = await runMain(["chat", "-s", "de"], {
    env,
    stdin: "Die Sicherungen laufen um 05:00.\nUnd die Datenbank?\n",
  });
  assert.equal(german.code, 0, german.stderr);
  assert.match(german.stderr, /done\. \(grounding: 50%\)/);
  assert.match(
    german.stderr,
    /not recalled: "Die Datenbank läuft auf Größenwahn\." — Größenwahn never came up/,
  );
});
