import assert from "node:assert/strict";
import { buildEvidence, extractValues, saidInstead, valueFound } from "./claim_values.ts";

const keys = (text: string) => extractValues(text).map((v) => v.key);

Deno.test("extractValues() normalises sizes: 8 GB, 8GB and 8 gigabytes agree", () => {
  assert.deepEqual(keys("8 GB"), ["size:8:gb"]);
  assert.deepEqual(keys("8GB"), ["size:8:gb"]);
  assert.deepEqual(keys("8 gigabytes of RAM"), ["size:8:gb", "name:ram"]);
  assert.deepEqual(keys("a 3.5 TB disk"), ["size:3.5:tb"]);
});

Deno.test("extractValues() normalises times: 05:00, 5:00 and 5 am agree; 2 pm is 14:00", () => {
  assert.deepEqual(keys("at 05:00"), ["time:05:00"]);
  assert.deepEqual(keys("at 5:00"), ["time:05:00"]);
  assert.deepEqual(keys("at 5 am"), ["time:05:00"]);
  assert.deepEqual(keys("at 2 pm"), ["time:14:00"]);
});

Deno.test("extractValues() reads number words one..twenty as digits, not as pronouns", () => {
  assert.deepEqual(keys("keep seven daily archives"), ["number:7"]);
  assert.deepEqual(keys("keep 7 daily archives"), ["number:7"]);
  assert.deepEqual(keys("one of them"), []);
  assert.deepEqual(keys("400 snapshots"), ["number:400"]);
});

Deno.test("extractValues() finds dates, versions and quoted phrases", () => {
  assert.deepEqual(keys("on 2026-03-01 and on March 3"), ["date:2026-03-01", "date:03-03"]);
  assert.deepEqual(keys("upgrade to 3.12 then v2.1"), ["version:3.12", "version:2.1"]);
  assert.deepEqual(keys('turned on "dark mode"'), ["quote:dark mode"]);
});

Deno.test("extractValues() takes names but not grammar: opening verbs are not names", () => {
  assert.deepEqual(keys("Discussed backup retention."), []);
  assert.deepEqual(keys("Decided to keep seven daily archives."), ["number:7"]);
  assert.deepEqual(keys("Built a Grafana board. Kept Restic."), ["name:grafana", "name:restic"]);
  assert.deepEqual(keys("Migrate to Zorblax"), ["name:zorblax"]);
  assert.deepEqual(keys("Zorblax is fast"), ["name:zorblax"]);
});

Deno.test("extractValues() works on other scripts without crashing", () => {
  // "Die" is an article, not a name; "Резервные" opens its sentence and is kept as a name.
  assert.deepEqual(keys("Die Datenbank läuft um 05:00 auf Größenwahn."), [
    "time:05:00",
    "name:datenbank",
    "name:größenwahn",
  ]);
  assert.deepEqual(keys("Резервные копии в 5:00 на Яндекс"), [
    "time:05:00",
    "name:резервные",
    "name:яндекс",
  ]);
  assert.deepEqual(keys("バックアップは毎晩"), []);
});

Deno.test("valueFound() matches by normalised key, names as words", () => {
  const evidence = buildEvidence(["the NAS has 8GB, backups at 5 am, keep seven archives"]);
  for (const text of ["8 gigabytes", "05:00", "7 archives", "the NAS"]) {
    assert.ok(extractValues(text).every((v) => valueFound(v, evidence)), text);
  }
  for (const text of ["64 GB", "02:00", "Zorblax", "400 archives"]) {
    assert.ok(extractValues(text).every((v) => !valueFound(v, evidence)), text);
  }
});

Deno.test("saidInstead() names the value the same statement had", () => {
  const evidence = buildEvidence(["My backups run at 02:00 every night. The NAS has 8 GB."]);
  const [time] = extractValues("Backups run at 05:00.");
  assert.deepEqual(saidInstead("Backups run at 05:00.", time!, evidence), ["02:00"]);
  const [size] = extractValues("The NAS has 64 GB.");
  assert.deepEqual(saidInstead("The NAS has 64 GB.", size!, evidence), ["8 GB"]);
  assert.deepEqual(saidInstead("Moved to 64 GB.", size!, evidence), []);
});

Deno.test("extractValues() reads 1,500 as fifteen hundred and 1,5 as one and a half", () => {
  assert.deepEqual(keys("a budget of 1,500 euros"), ["number:1500"]);
  assert.deepEqual(keys("a budget of 1,250,000 euros"), ["number:1250000"]);
  assert.deepEqual(keys("1,5 Liter"), ["number:1.5", "name:liter"]);
});

Deno.test("extractValues() gives a month date with its year the full date", () => {
  assert.deepEqual(keys("on April 12, 2026"), ["date:2026-04-12"]);
  assert.deepEqual(keys("on 12 April 2026"), ["date:2026-04-12"]);
});

Deno.test("valueFound() finds a value the user said in other units or another date form", () => {
  const evidence = buildEvidence([
    "The VM has 8192 MB, images kept 14 days, cutover April 12, 2026",
  ]);
  for (const claim of ["8 GB", "two weeks", "2026-04-12", "April 12"]) {
    const [value] = extractValues(claim);
    assert.ok(valueFound(value!, evidence), claim);
  }
  assert.ok(!valueFound(extractValues("16 GB")[0]!, evidence));
});

Deno.test("extractValues() reads twenty-four, forty and fourteen apart, and 2k as 2000", () => {
  assert.deepEqual(keys("twenty-four cores"), ["number:24"]);
  assert.deepEqual(keys("forty cores, fourteen disks, four fans"), [
    "number:40",
    "number:14",
    "number:4",
  ]);
  assert.deepEqual(keys("a budget of $2k"), ["number:2000"]);
});

Deno.test("extractValues() reads abbreviated months, '3rd of March', noon and midnight", () => {
  assert.deepEqual(keys("on Dec 5"), ["date:12-05"]);
  assert.deepEqual(keys("on the 3rd of March"), ["date:03-03"]);
  assert.deepEqual(keys("at noon, not midnight"), ["time:12:00", "time:00:00"]);
  assert.deepEqual(keys("on Dec 6"), ["date:12-06"]);
});

Deno.test("valueFound() finds the plural of a name said once, not another name", () => {
  const evidence = buildEvidence(["we meet every monday on three raspberry pi boards"]);
  const name = (text: string) => extractValues(`We use ${text}.`).at(-1)!;
  assert.ok(valueFound(name("Mondays"), evidence));
  assert.ok(valueFound(name("Pis"), evidence));
  assert.ok(!valueFound(name("Tuesdays"), evidence));
});

Deno.test("valueFound() finds Python 3.12 in a command that says python3.12", () => {
  const evidence = buildEvidence(["apt install python3.12 on the build host"]);
  for (const value of extractValues("The build host runs Python 3.12.")) {
    assert.ok(valueFound(value, evidence), value.key);
  }
});

Deno.test("valueFound() does not find a name inside a longer word (Redis in 'redistribute')", () => {
  const evidence = buildEvidence(["we should redistribute the load; javascript on the front"]);
  for (const text of ["We use Redis.", "We chose Java."]) {
    assert.ok(!valueFound(extractValues(text).at(-1)!, evidence), text);
  }
  const said = buildEvidence(["postgres's vacuum runs on mondays"]);
  for (const text of ["We tuned Postgres.", "We meet on Monday."]) {
    assert.ok(valueFound(extractValues(text).at(-1)!, said), text);
  }
});

Deno.test("extractValues() does not take contractions (We're, I'm, Didn't) for names", () => {
  const text = "We're migrating the API to Go. I’m moving. Didn't work. They've chosen Redis.";
  assert.deepEqual(extractValues(text).map((v) => v.key), ["name:api", "name:redis"]);
});
