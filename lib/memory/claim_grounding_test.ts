import assert from "node:assert/strict";
import { groundReflection } from "./claim_grounding.ts";
import { EVIDENCE, INVENTED, NINE_TRUE } from "../../testing/nine_true_claims.ts";

Deno.test("groundReflection() holds back the one invented claim of ten, keeps the nine: 0.9", () => {
  const result = groundReflection({ summary: [...NINE_TRUE, INVENTED].join(" ") }, EVIDENCE);
  // The old whole-session rule scored this 0.45 and recalled all ten, the invention included.
  assert.equal(result.score, 0.9);
  assert.equal(result.indexed, true);
  assert.equal(result.claims.filter((c) => c.grounded).length, 9);
  assert.deepEqual(result.claims.filter((c) => !c.grounded).map((c) => [c.text, c.reason]), [
    [INVENTED, "Zorblax, Quendra, Cloud never came up"],
  ]);
});

Deno.test("groundReflection() grounds a terse true summary: opening verbs are not names", () => {
  const result = groundReflection(
    { summary: "Discussed backup retention. Decided to keep seven daily archives." },
    ["keep 7 daily archives of the backup retention"],
  );
  assert.equal(result.score, 1);
  assert.ok(result.claims.every((c) => c.grounded && c.checked));
});

Deno.test("groundReflection() checks values: wrong time, count and size are held back", () => {
  const result = groundReflection({
    summary: "The backups run at 05:00. They keep 400 snapshots. The NAS has 64 GB.",
    decisions: ["Keep 40 snapshots"],
  }, ["my backups run at 02:00 and keep 40 snapshots", "the NAS has 8 GB"]);
  assert.deepEqual(result.claims.map((c) => [c.grounded, c.reason]), [
    [false, "05:00 never came up; 02:00 was said"],
    [false, "400 never came up; 40 was said"],
    [false, "64 GB never came up; 8 GB was said"],
    [true, ""],
  ]);
  assert.equal(result.score, 0.25);
});

Deno.test("groundReflection() does not take recalled memories as evidence", () => {
  const reflection = { summary: "We will migrate the backups to Zorblax." };
  const evidence = ["what about my backups?"];
  const unverified = groundReflection(reflection, evidence, [
    { ref: "c4", text: "Migrate to Zorblax", grounded: false },
  ]);
  assert.deepEqual(unverified.claims.map((c) => [c.grounded, c.reason]), [
    [false, "Zorblax never came up (only in unverified memory #c4)"],
  ]);
  const grounded = groundReflection(reflection, evidence, [
    { ref: "c5", text: "Migrate to Zorblax", grounded: true },
  ]);
  assert.deepEqual(grounded.claims.map((c) => [c.grounded, c.reason]), [
    [true, "supported by memory #c5"],
  ]);
});

Deno.test("groundReflection() checks claims in another language by their words and values", () => {
  const result = groundReflection({
    summary: "Wir haben über Sicherungen um 05:00 gesprochen. Die Datenbank läuft auf Größenwahn.",
  }, ["Sicherungen laufen um 05:00 und die Datenbank auch"]);
  assert.deepEqual(result.claims.map((c) => [c.grounded, c.reason]), [
    [true, ""],
    [false, "Größenwahn never came up"],
  ]);
});

Deno.test("groundReflection() grounds a claim without values by half its content words", () => {
  const result = groundReflection({
    summary: "We talked about rotating server log files. Recommended switching to managed hosting.",
  }, ["How do I rotate the log files of my web server?"]);
  assert.deepEqual(result.claims.map((c) => c.grounded), [true, false]);
  assert.equal(result.claims[1]!.reason, "its words never came up");
});

Deno.test("groundReflection() does not count claims with nothing to check", () => {
  const result = groundReflection({ summary: "That was it. So it is." }, []);
  assert.equal(result.score, 1);
  assert.deepEqual(result.claims.map((c) => c.checked), [false, false]);
});

Deno.test("groundReflection() keeps an invented name opening its sentence among the missing keys", () => {
  const { claims } = groundReflection(
    { summary: "Fennimore terminates TLS for the web tier." },
    ["The HAProxy certificates need renewing for the web tier."],
  );
  assert.equal(claims[0]!.reason, "TLS never came up");
  assert.deepEqual(claims[0]!.missing, ["name:fennimore", "name:tls"]);
});

Deno.test("groundReflection() takes discourse openers and irregular verbs for grammar, not names", () => {
  const evidence = ["let us go over the backup plan and pick a disk for the backup plan"];
  for (
    const opener of ["Initially", "Ultimately", "Key takeaway:", "Outcome:", "Thought", "Sent"]
  ) {
    const { claims } = groundReflection(
      { summary: `${opener} the backup plan and a disk for it.` },
      evidence,
    );
    assert.equal(claims[0]!.grounded, true, opener);
  }
});

Deno.test("groundReflection() checks Chinese claims by character pairs", () => {
  const { claims, score } = groundReflection(
    { summary: "备份保存到外部硬盘。备份保存到云端服务器。" },
    ["备份每天晚上两点运行，保存到外部硬盘。"],
  );
  assert.deepEqual(claims.map((c) => c.grounded), [true, false]);
  assert.equal(score, 0.5);
});
