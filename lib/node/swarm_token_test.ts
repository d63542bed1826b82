import assert from "node:assert/strict";
import { isMycoError, type Logger } from "../core/mod.ts";
import {
  ensureSwarmToken,
  isSwarmToken,
  newSwarmToken,
  readSwarmToken,
  rotateSwarmToken,
  writeSwarmToken,
} from "./swarm_token.ts";

async function tempDir(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mycoswarm-token-" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const modeOf = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
}

Deno.test("newSwarmToken() gives 64 lowercase hex digits from 32 random bytes", () => {
  const token = newSwarmToken(() => new Uint8Array(32).fill(0xab));
  assert.equal(token, "ab".repeat(32));
  assert.ok(isSwarmToken(newSwarmToken()));
  assert.notEqual(newSwarmToken(), newSwarmToken());
  assert.ok(!isSwarmToken("ab".repeat(31)));
  assert.ok(!isSwarmToken("zz".repeat(32)));
});

Deno.test("ensureSwarmToken() creates the file with mode 0600 once, then reads it", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/home/swarm-token`;
  const first = await ensureSwarmToken(path);
  assert.equal(first.created, true);
  assert.ok(isSwarmToken(first.token));
  assert.equal(await modeOf(path), 0o600);
  assert.equal(await Deno.readTextFile(path), `${first.token}\n`);
  const second = await ensureSwarmToken(path);
  assert.deepEqual(second, { token: first.token, created: false });
  assert.deepEqual([...Deno.readDirSync(`${tmp.dir}/home`)].map((e) => e.name), ["swarm-token"]);
});

Deno.test("ensureSwarmToken() warns about a group-readable file and leaves its mode alone", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/swarm-token`;
  await Deno.writeTextFile(path, `${"CD".repeat(32)}\n`, { mode: 0o644 });
  await Deno.chmod(path, 0o644);
  const logger = recorder();
  const { token, created } = await ensureSwarmToken(path, { logger });
  assert.equal(created, false);
  assert.equal(token, "cd".repeat(32), "read lowercase");
  assert.equal(await modeOf(path), 0o644);
  assert.deepEqual(logger.warnings, [
    `${path} can be read by other users (mode 0644): run chmod 600 ${path}`,
  ]);
  await Deno.chmod(path, 0o600);
  const quiet = recorder();
  await ensureSwarmToken(path, { logger: quiet });
  assert.deepEqual(quiet.warnings, []);
});

Deno.test("readSwarmToken() is null when missing, and a clear error when malformed", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/swarm-token`;
  assert.equal(await readSwarmToken(path), null);
  await Deno.writeTextFile(path, "not a token\n");
  await assert.rejects(
    () => readSwarmToken(path),
    (e) =>
      isMycoError(e, "config_invalid") &&
      e.message === `${path} does not hold a swarm token (64 hex digits)` &&
      /mycoswarm join <token>/.test(e.hint ?? ""),
  );
  await assert.rejects(() => ensureSwarmToken(path), /does not hold a swarm token/);
});

Deno.test("rotateSwarmToken() replaces the token, keeping mode 0600 and no temp files", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/swarm-token`;
  const { token } = await ensureSwarmToken(path);
  const rotated = await rotateSwarmToken(path);
  assert.notEqual(rotated, token);
  assert.equal(await readSwarmToken(path), rotated);
  assert.equal(await modeOf(path), 0o600);
  assert.deepEqual([...Deno.readDirSync(tmp.dir)].map((e) => e.name), ["swarm-token"]);
});

Deno.test("rotating or joining never loosens a stricter mode, and tightens a loose one", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/swarm-token`;
  await ensureSwarmToken(path);
  await Deno.chmod(path, 0o400);
  await rotateSwarmToken(path);
  assert.equal(await modeOf(path), 0o400);
  await Deno.chmod(path, 0o644);
  await writeSwarmToken(path, "ef".repeat(32));
  assert.equal(await modeOf(path), 0o600);
});

Deno.test("writeSwarmToken() stores a valid token 0600 and refuses anything else", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/sub/swarm-token`;
  assert.equal(await writeSwarmToken(path, `  ${"AB".repeat(32)}\n`), "ab".repeat(32));
  assert.equal(await readSwarmToken(path), "ab".repeat(32));
  assert.equal(await modeOf(path), 0o600);
  for (
    const [bad, why] of [
      ["", "got nothing"],
      ["abc", "got 3 hex digits"],
      ["g".repeat(64), "got 64 characters including 'g'"],
    ]
  ) {
    await assert.rejects(
      () => writeSwarmToken(path, bad!),
      (e) => isMycoError(e, "invalid_input") && e.message.endsWith(why!),
    );
  }
  assert.equal(await readSwarmToken(path), "ab".repeat(32), "unchanged after bad input");
});

Deno.test("ensureSwarmToken() from two callers at once agrees on one token", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/swarm-token`;
  const results = await Promise.all([1, 2, 3, 4].map(() => ensureSwarmToken(path)));
  const tokens = new Set(results.map((r) => r.token));
  assert.equal(tokens.size, 1);
  assert.equal(results.filter((r) => r.created).length, 1);
  assert.equal(await readSwarmToken(path), [...tokens][0]);
});
