import assert from "node:assert/strict";
import type { Logger } from "../core/mod.ts";
import { ManualTime } from "../../testing/time.ts";
import { ApiKeyWatcher, type FileStamp } from "./api_key_watcher.ts";

const HASH_A = "a".repeat(64);
const HASH_B = "b".repeat(64);

/** A key file in memory: its text and stamp change together, and every look is counted. */
function fakeFile(text: string | null) {
  const file = { text, stamp: 1, stats: 0, reads: 0 };
  return {
    file,
    set(next: string | null) {
      file.text = next;
      file.stamp++;
    },
    stat: (): Promise<FileStamp> => {
      file.stats++;
      return Promise.resolve(file.text === null ? null : String(file.stamp));
    },
    readTextFile: (): Promise<string> => {
      file.reads++;
      return file.text === null
        ? Promise.reject(new Deno.errors.NotFound("gone"))
        : Promise.resolve(file.text);
    },
  };
}

const keyFile = (...hashes: string[]) =>
  JSON.stringify({
    version: 1,
    keys: hashes.map((sha256, i) => ({ name: `k${i}`, sha256, created: "" })),
  });

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
}

Deno.test("ApiKeyWatcher looks at the file at most once a second and re-reads it only when it changed", async () => {
  const clock = new ManualTime(0);
  const fake = fakeFile(keyFile(HASH_A, HASH_B));
  const watcher = new ApiKeyWatcher("/keys.json", { clock, ...fake });
  assert.deepEqual((await watcher.keys()).map((k) => k.sha256), [HASH_A, HASH_B]);
  await watcher.keys();
  clock.advance(999);
  await watcher.keys();
  assert.deepEqual([fake.file.stats, fake.file.reads], [1, 1]);
  clock.advance(1);
  await watcher.keys();
  assert.deepEqual([fake.file.stats, fake.file.reads], [2, 1], "same stamp: not read again");

  fake.set(keyFile(HASH_B)); // revoked in another process
  assert.equal((await watcher.keys()).length, 2, "within the second the old keys stand");
  clock.advance(1000);
  assert.deepEqual((await watcher.keys()).map((k) => k.sha256), [HASH_B]);
  assert.deepEqual([fake.file.stats, fake.file.reads], [3, 2]);

  fake.set(null);
  clock.advance(1000);
  assert.deepEqual(await watcher.keys(), [], "no file, no keys");
});

Deno.test("ApiKeyWatcher shares one look among requests arriving together", async () => {
  const clock = new ManualTime(0);
  const fake = fakeFile(keyFile(HASH_A));
  const watcher = new ApiKeyWatcher("/keys.json", { clock, ...fake });
  const all = await Promise.all([watcher.keys(), watcher.keys(), watcher.keys()]);
  assert.ok(all.every((keys) => keys.length === 1));
  assert.deepEqual([fake.file.stats, fake.file.reads], [1, 1]);
});

Deno.test("ApiKeyWatcher refuses every key while the file is damaged, and says so once", async () => {
  const clock = new ManualTime(0);
  const logger = recorder();
  const fake = fakeFile(keyFile(HASH_A));
  const watcher = new ApiKeyWatcher("/keys.json", { clock, logger, ...fake });
  assert.equal((await watcher.keys()).length, 1);
  fake.set("{ torn");
  clock.advance(1000);
  assert.deepEqual(await watcher.keys(), []);
  clock.advance(1000);
  assert.deepEqual(await watcher.keys(), []);
  assert.equal(logger.warnings.length, 1);
  assert.match(logger.warnings[0]!, /damaged.*every client key is refused/);
  fake.set(keyFile(HASH_A));
  clock.advance(1000);
  assert.equal((await watcher.keys()).length, 1, "back once it is fixed");
});
