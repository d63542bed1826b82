/**
 * `mycoswarm apikey` as a subprocess: create, list, revoke, bad input; and a daemon that
 * refuses a key revoked by another process within seconds, without a restart.
 */

import assert from "node:assert/strict";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startDaemon } from "./support/run_daemon.ts";

const KEY = /^myco_[A-Za-z0-9_-]{43}$/;
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

Deno.test("apikey create prints the key on its last line; the file is 0600 without it", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const created = await runMain(["apikey", "create", "home-assistant"], { env });
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /^Created API key 'home-assistant'/);
  const key = lastLine(created.stdout);
  assert.match(key, KEY);
  const file = `${dir.home}/api-keys.json`;
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
  const text = await Deno.readTextFile(file);
  assert.ok(!text.includes(key) && !text.includes(key.slice(5)), "no plaintext key in the file");
  assert.equal(JSON.parse(text).keys[0].name, "home-assistant");

  const json = await runMain(["apikey", "create", "webui", "--json"], { env });
  assert.equal(json.code, 0, json.stderr);
  const made = JSON.parse(json.stdout);
  assert.equal(made.name, "webui");
  assert.match(made.key, KEY);
  assert.notEqual(made.key, key);
  assert.equal(made.path, file);

  const again = await runMain(["apikey", "create", "webui"], { env });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^mycoswarm: There already is an API key named 'webui'/);
  assert.equal(again.stdout, "");
});

Deno.test("apikey list shows names and times, never keys; --json too", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  const empty = await runMain(["apikey", "list"], { env });
  assert.equal(empty.code, 0);
  assert.match(empty.stdout, /^No API keys\. Make one with: mycoswarm apikey create NAME/);
  assert.deepEqual(JSON.parse((await runMain(["apikey", "list", "--json"], { env })).stdout), []);
  const keys = [];
  for (const name of ["ha", "open-webui"]) {
    keys.push(lastLine((await runMain(["apikey", "create", name], { env })).stdout));
  }
  const listed = await runMain(["apikey", "list"], { env });
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^NAME\s+CREATED\nha\s+\d{4}-\d\d-\d\dT.*Z\nopen-webui\s+\d{4}-/);
  const json = JSON.parse((await runMain(["apikey", "list", "--json"], { env })).stdout);
  assert.deepEqual(json.map((k: { name: string }) => k.name), ["ha", "open-webui"]);
  assert.deepEqual(Object.keys(json[0]).sort(), ["created", "name"]);
  for (const key of keys) {
    assert.ok(
      !listed.stdout.includes(key.slice(5)) && !JSON.stringify(json).includes(key.slice(5)),
    );
  }
});

Deno.test("apikey revoke removes a key; an unknown one is exit 1; a bad name exit 2", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  await runMain(["apikey", "create", "ha"], { env });
  await runMain(["apikey", "create", "webui"], { env });
  const revoked = await runMain(["apikey", "revoke", "ha"], { env });
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stdout, /^Revoked API key 'ha'\. A running daemon refuses it within/);
  const json = JSON.parse((await runMain(["apikey", "list", "--json"], { env })).stdout);
  assert.deepEqual(json.map((k: { name: string }) => k.name), ["webui"]);

  const unknown = await runMain(["apikey", "revoke", "ha"], { env });
  assert.equal(unknown.code, 1);
  assert.match(
    unknown.stderr,
    /^mycoswarm: There is no API key named 'ha' \(webui\)\n.*apikey list/,
  );

  for (const name of ["Home Assistant", "_x", "a".repeat(41), "ha/1"]) {
    const bad = await runMain(["apikey", "create", name], { env });
    assert.equal(bad.code, 2, name);
    assert.match(bad.stderr, /is not a key name: use 1 to 40 lowercase letters/);
  }
  for (
    const argv of [["apikey"], ["apikey", "make", "x"], ["apikey", "create"], [
      "apikey",
      "list",
      "x",
    ]]
  ) {
    const usage = await runMain(argv, { env });
    assert.equal(usage.code, 2, argv.join(" "));
    assert.match(usage.stderr, /^mycoswarm: apikey/);
  }
  const help = await runMain(["apikey", "--help"], { env });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: mycoswarm apikey create NAME/);
  assert.match(
    (await runMain(["--help"], { env })).stdout,
    /apikey\s+keys for Ollama\/OpenAI clients/,
  );
});

Deno.test("daemon: a created key opens /api/tags and is refused within 5 s of `apikey revoke`", async () => {
  await using llm = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: llm.url };
  const key = lastLine((await runMain(["apikey", "create", "ha"], { env })).stdout);
  await using daemon = await startDaemon(env);
  const tags = (headers: Record<string, string> = { Authorization: `Bearer ${key}` }) =>
    fetch(`${daemon.url}/api/tags`, { headers });
  const ok = await tags();
  assert.equal(ok.status, 200);
  assert.ok(Array.isArray((await ok.json()).models));
  const node = await fetch(`${daemon.url}/status`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(node.status, 403);
  assert.match((await node.json()).error.message, /Client keys open only the Ollama/);
  const anonymous = await tags({});
  assert.equal(anonymous.status, 401, "loopback is not trusted by default");
  await anonymous.body?.cancel();

  const revoked = await runMain(["apikey", "revoke", "ha"], { env });
  assert.equal(revoked.code, 0, revoked.stderr);
  const start = Date.now();
  let status = 200;
  while (Date.now() - start < 5000) {
    const res = await tags();
    status = res.status;
    await res.body?.cancel();
    if (status !== 200) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(status, 403, "refused within 5 s");
  const body = await (await tags()).json();
  assert.equal(body.error, "Unknown or revoked API key (see `mycoswarm apikey list`)");
});

Deno.test("daemon: a trusted network needs no key on the client routes (the socket's address)", async () => {
  await using llm = await startFakeLlm();
  await using dir = await tempHome();
  await using daemon = await startDaemon({
    MYCOSWARM_HOME: dir.home,
    OLLAMA_HOST: llm.url,
    MYCOSWARM_API_TRUSTED_NETWORKS: "127.0.0.0/8",
  });
  const tags = await fetch(`${daemon.url}/api/tags`);
  assert.equal(tags.status, 200);
  await tags.body?.cancel();
  const status = await fetch(`${daemon.url}/status`);
  assert.equal(status.status, 401, "node routes still need the token");
  await status.body?.cancel();
});

Deno.test("a malformed trusted network is a config error naming the field (exit 2)", async () => {
  await using dir = await tempHome();
  await Deno.writeTextFile(
    `${dir.home}/config.toml`,
    '[api]\ntrusted_networks = ["192.168.1.0/24", "192.168.1.0/33"]\n',
  );
  const run = await runMain(["daemon", "--port", "0", "--bind", "127.0.0.1"], {
    env: { MYCOSWARM_HOME: dir.home },
  });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /config\.toml: field 'api\.trusted_networks': '192\.168\.1\.0\/33'/);
});
