import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { ManualTime } from "../../testing/time.ts";
import {
  checkApiKeyName,
  createApiKey,
  hashApiKey,
  newApiKey,
  readApiKeys,
  revokeApiKey,
} from "./api_keys.ts";

async function tempFile(): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mycoswarm-keys-" });
  return {
    path: `${dir}/api-keys.json`,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

async function rejects(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(isMycoError(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("newApiKey() is myco_ and 256 random bits in base64url", () => {
  assert.equal(newApiKey(() => new Uint8Array(32).fill(0xff)), `myco_${"_".repeat(42)}8`);
  assert.match(newApiKey(), /^myco_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newApiKey(), newApiKey());
});

Deno.test("checkApiKeyName() takes short lowercase slugs only", () => {
  for (const name of ["home-assistant", "ha", "open_webui2", "a".repeat(40)]) {
    assert.equal(checkApiKeyName(name), name);
  }
  for (const name of ["", "Home", "-x", "a b", "a/b", "a".repeat(41), "ünï"]) {
    assert.throws(() => checkApiKeyName(name), (e) => isMycoError(e) && e.exitCode === 2, name);
  }
});

Deno.test("createApiKey() stores name, hash and time (0600), never the key", async () => {
  await using file = await tempFile();
  const clock = new ManualTime(Date.UTC(2026, 0, 2));
  const { key, record } = await createApiKey(file.path, "home-assistant", { clock });
  assert.deepEqual(record, {
    name: "home-assistant",
    sha256: await hashApiKey(key),
    created: "2026-01-02T00:00:00.000Z",
  });
  const text = await Deno.readTextFile(file.path);
  assert.ok(!text.includes(key.slice(5)), "the key is not in the file");
  assert.equal((await Deno.stat(file.path)).mode! & 0o777, 0o600);
  await createApiKey(file.path, "webui", { clock });
  assert.deepEqual((await readApiKeys(file.path)).map((k) => k.name), ["home-assistant", "webui"]);
  await rejects(
    createApiKey(file.path, "webui"),
    "invalid_input",
    /already is an API key named 'webui'/,
  );
  await rejects(createApiKey(file.path, "Web UI"), "invalid_input", /is not a key name/);
});

Deno.test("revokeApiKey() removes one key; an unknown name is not_found (exit 1)", async () => {
  await using file = await tempFile();
  await rejects(
    revokeApiKey(file.path, "ha"),
    "not_found",
    /no API key named 'ha' \(there are none\)/,
  );
  await createApiKey(file.path, "ha");
  await createApiKey(file.path, "webui");
  assert.equal((await revokeApiKey(file.path, "ha")).name, "ha");
  assert.deepEqual((await readApiKeys(file.path)).map((k) => k.name), ["webui"]);
  await rejects(revokeApiKey(file.path, "ha"), "not_found", /named 'ha' \(webui\)/);
  assert.equal((await Deno.stat(file.path)).mode! & 0o777, 0o600);
});

Deno.test("readApiKeys() gives none without a file and refuses a damaged one", async () => {
  await using file = await tempFile();
  assert.deepEqual(await readApiKeys(file.path), []);
  for (const text of ["{", '{"keys": 3}', '{"keys": [{"name": "a", "sha256": "xyz"}]}']) {
    await Deno.writeTextFile(file.path, text);
    await rejects(readApiKeys(file.path), "invalid_input", /is damaged/);
  }
});
