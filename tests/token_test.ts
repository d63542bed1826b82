/** `mycoswarm token` and `mycoswarm join` as subprocesses: file modes and bad input. */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";

const mode = async (path: string) => (await Deno.stat(path)).mode! & 0o777;
const HEX64 = /^[0-9a-f]{64}\n$/;

Deno.test("token creates the token (0600) on first use, then prints the same one", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const first = await runMain(["token"], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, HEX64);
  assert.match(first.stderr, /A new swarm token was created in .*swarm-token/);
  assert.equal(await mode(`${dir.home}/swarm-token`), 0o600);
  const again = await runMain(["token"], { env });
  assert.equal(again.stdout, first.stdout);
  assert.equal(again.stderr, "");
  const json = JSON.parse((await runMain(["token", "--json"], { env })).stdout);
  assert.deepEqual(json, {
    token: first.stdout.trim(),
    path: `${dir.home}/swarm-token`,
    created: false,
    rotated: false,
  });
});

Deno.test("token --rotate replaces it and says peers need the new one", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const old = (await runMain(["token"], { env })).stdout;
  const rotated = await runMain(["token", "--rotate"], { env });
  assert.equal(rotated.code, 0);
  assert.match(rotated.stdout, HEX64);
  assert.notEqual(rotated.stdout, old);
  assert.match(
    rotated.stderr,
    /was replaced\. Peers need the new one: run `mycoswarm join <token>`/,
  );
  assert.equal(await mode(`${dir.home}/swarm-token`), 0o600);
  assert.equal((await runMain(["token"], { env })).stdout, rotated.stdout);
});

Deno.test("join writes the token 0600; the same again says so; replacing says so", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const token = "0123456789abcdef".repeat(4);
  const joined = await runMain(["join", token], { env });
  assert.equal(joined.code, 0, joined.stderr);
  assert.match(joined.stdout, /^Joined the swarm: .*swarm-token \(mode 0600\)/);
  assert.equal(await mode(`${dir.home}/swarm-token`), 0o600);
  assert.equal((await runMain(["token"], { env })).stdout, `${token}\n`);
  const same = await runMain(["join", token.toUpperCase()], { env });
  assert.match(same.stdout, /^This node already had that token/);
  const other = await runMain(["join", "-"], { env, stdin: `${"f".repeat(64)}\n` });
  assert.equal(other.code, 0, other.stderr);
  assert.match(other.stdout, /the previous token was replaced/);
  assert.equal((await Deno.readTextFile(`${dir.home}/swarm-token`)).trim(), "f".repeat(64));
});

Deno.test("join refuses what is not a token, exit 2, and leaves the file alone", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const bad = await runMain(["join", "hunter2"], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /not a swarm token: it must be 64 hex digits, got 7 characters/);
  await assert.rejects(() => Deno.stat(`${dir.home}/swarm-token`), Deno.errors.NotFound);
  const none = await runMain(["join"], { env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /join: give the swarm token/);
  const two = await runMain(["join", "a", "b"], { env });
  assert.equal(two.code, 2);
});

Deno.test("token with a damaged token file says what to do, exit 2", async () => {
  await using dir = await tempHome();
  await Deno.writeTextFile(`${dir.home}/swarm-token`, "oops\n");
  const run = await runMain(["token"], { env: { MYCOSWARM_HOME: dir.home } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /swarm-token does not hold a swarm token \(64 hex digits\)/);
  assert.match(run.stderr, /mycoswarm token --rotate/);
  const fixed = await runMain(["token", "--rotate"], { env: { MYCOSWARM_HOME: dir.home } });
  assert.equal(fixed.code, 0);
  assert.match(fixed.stdout, HEX64);
});
