/**
 * Held-back suite for poison loops and restores (issue 13), end to end through the CLI:
 * an invented proxy repeated by the model in two otherwise true sessions is quarantined as a
 * claim; a restored claim stays restored across two further recalls, one of which repeats it.
 */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { answerPrompts, reflecting, type Reflection } from "./support/reflecting.ts";

type Claim = { id: string; text: string; grounded: boolean; quarantined: boolean };
type Session = { name: string; claims: Claim[] };

async function claimsWith(env: Record<string, string>, word: string): Promise<Claim[]> {
  const run = await runMain(["memory", "--sessions", "--json"], { env });
  assert.equal(run.code, 0, run.stderr);
  return (JSON.parse(run.stdout) as Session[]).flatMap((s) => s.claims)
    .filter((c) => c.text.includes(word));
}

Deno.test("an invented proxy in two true sessions is quarantined; its restore survives two recalls", async () => {
  let reflection: Reflection = { summary: "" };
  await using fake = await startFakeLlm({ reply: reflecting(() => reflection) });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const chat = async (name: string, summary: string, said: string) => {
    reflection = { summary };
    const run = await runMain(["chat", "-s", name], { env, stdin: said });
    assert.equal(run.code, 0, run.stderr);
    return run.stderr;
  };
  await chat(
    "web1",
    "The web tier runs Apache behind HAProxy. Fennimore fronts the web tier.",
    "Our web tier runs Apache behind HAProxy.\nIt is slow at peak.\n",
  );
  const second = await chat(
    "web2",
    "We renewed the HAProxy certificates. Fennimore terminates TLS for the web tier.",
    "The HAProxy certificates need renewing.\nThe web tier uses them.\n",
  );
  // Only the values in the middle of the sentence are named; Fennimore opens it.
  assert.match(second, /not recalled: "Fennimore terminates TLS for the web tier\." — TLS never/);
  const looped = await claimsWith(env, "Fennimore");
  assert.deepEqual(looped.map((c) => c.quarantined), [true, true], "a loop, claim by claim");
  const trueOnes = (await claimsWith(env, "HAProxy")).filter((c) => !c.text.includes("Fennimore"));
  assert.ok(trueOnes.every((c) => c.grounded && !c.quarantined), "the true claims are kept");
  const quarantined = await runMain(["memory", "--quarantined"], { env });
  assert.match(quarantined.stdout, /quarantined: Fennimore never came up/);

  const first = looped.find((c) => c.text.startsWith("Fennimore fronts"))!;
  const restore = await runMain(["memory", "--restore", first.id], { env });
  assert.equal(restore.code, 0, restore.stderr);
  assert.match(restore.stdout, /Restored claim #c\d+: Fennimore fronts the web tier\./);

  // Two further recalls; the model repeats the proxy in the second. A short follow-up
  // ("OK.") recalls nothing by the relevance floor, so each question's prompt is checked.
  const prompts: string[] = [];
  for (
    const [name, summary] of [
      ["web3", "We looked at the web tier again."],
      ["web4", "Fennimore still fronts the web tier."],
    ]
  ) {
    const asked = answerPrompts(fake).length;
    await chat(
      name!,
      summary!,
      "What did we discuss last time about the web tier and HAProxy?\nOK.\n",
    );
    prompts.push(answerPrompts(fake)[asked]!);
  }
  for (const p of prompts) assert.match(p, /Fennimore fronts the web tier\./, "recalled each time");
  const after = await claimsWith(env, "Fennimore");
  assert.equal(after.find((c) => c.id === first.id)!.quarantined, false, "the restore sticks");
  const other = after.find((c) => c.text.startsWith("Fennimore terminates"))!;
  assert.equal(other.quarantined, true, "the claim not vouched for stays quarantined");
  for (const p of prompts) assert.doesNotMatch(p, /terminates TLS/);
});

Deno.test("a restore of an unknown claim says so and changes nothing", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: "http://127.0.0.1:9" };
  const run = await runMain(["memory", "--restore", "c999"], { env });
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /c999/);
  assert.equal(run.stdout, "");
});
