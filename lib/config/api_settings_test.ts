import assert from "node:assert/strict";
import { loadConfig } from "./config.ts";
import { isMycoError } from "../core/mod.ts";

const noFile = () => Promise.reject(new Deno.errors.NotFound("none"));
const file = (text: string) => () => Promise.resolve(text);
const env = { MYCOSWARM_HOME: "/d" };

async function configError(toml: string, extra: Record<string, string> = {}): Promise<string> {
  try {
    await loadConfig({ env: { ...env, ...extra }, readFile: toml ? file(toml) : noFile });
  } catch (error) {
    assert.ok(isMycoError(error));
    assert.equal(error.code, "config_invalid");
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  throw new Error("no error");
}

Deno.test("loadConfig() [api] defaults: no trusted networks, no CORS, no web, no pull node", async () => {
  const config = await loadConfig({ env, readFile: noFile });
  assert.deepEqual(config.api, {
    trustedNetworks: [],
    corsOrigins: [],
    web: false,
    pullNode: null,
  });
  assert.equal(config.paths.apiKeysFile, "/d/api-keys.json");
  assert.ok(Object.isFrozen(config.api.trustedNetworks));
});

Deno.test("loadConfig() reads [api] from the file, the environment winning", async () => {
  const toml = `
[api]
trusted_networks = ["192.168.1.0/24", "10.0.0.5/32", "fd00::/8", "10.0.0.5"]
cors_origins = ["http://localhost:3000", "https://ha.example:8123"]
web = true
pull_node = "gpu-box"
`;
  const fromFile = await loadConfig({ env, readFile: file(toml) });
  assert.deepEqual(fromFile.api, {
    trustedNetworks: ["192.168.1.0/24", "10.0.0.5/32", "fd00::/8"],
    corsOrigins: ["http://localhost:3000", "https://ha.example:8123"],
    web: true,
    pullNode: "gpu-box",
  });
  const fromEnv = await loadConfig({
    env: {
      ...env,
      MYCOSWARM_API_TRUSTED_NETWORKS: "127.0.0.1/32, ::1",
      MYCOSWARM_API_CORS_ORIGINS: "*",
      MYCOSWARM_API_WEB: "0",
      MYCOSWARM_API_PULL_NODE: "myco-0123456789ab",
    },
    readFile: file(toml),
  });
  assert.deepEqual(fromEnv.api, {
    trustedNetworks: ["127.0.0.1/32", "::1/128"],
    corsOrigins: ["*"],
    web: false,
    pullNode: "myco-0123456789ab",
  });
  const cleared = await loadConfig({
    env: { ...env, MYCOSWARM_API_TRUSTED_NETWORKS: "" },
    readFile: file(toml),
  });
  assert.deepEqual(cleared.api.trustedNetworks, [], "an empty variable trusts nothing");
});

Deno.test("loadConfig() names the field of a malformed network, origin or flag (exit 2)", async () => {
  assert.match(
    await configError('[api]\ntrusted_networks = ["192.168.1.0/33"]\n'),
    /^\/d\/config\.toml: field 'api\.trusted_networks': '192\.168\.1\.0\/33' is not a network/,
  );
  assert.match(
    await configError('[api]\ntrusted_networks = ["192.168.1.7/24"]\n'),
    /field 'api\.trusted_networks': .*host bits set/,
  );
  assert.match(
    await configError("", { MYCOSWARM_API_TRUSTED_NETWORKS: "10.0.0.0/8,lan" }),
    /^MYCOSWARM_API_TRUSTED_NETWORKS: 'lan' is not a network/,
  );
  assert.match(
    await configError('[api]\ncors_origins = ["http://localhost:3000/"]\n'),
    /field 'api\.cors_origins': 'http:\/\/localhost:3000\/' is not an origin/,
  );
  assert.match(
    await configError('[api]\ncors_origins = ["localhost:3000"]\n'),
    /is not an origin/,
  );
  assert.match(await configError("[api]\nweb = 1\n"), /field 'api\.web' must be true or false/);
  assert.match(
    await configError("[api]\npull_node = 3\n"),
    /field 'api\.pull_node' must be a string/,
  );
  assert.match(await configError("[api]\ntrusted = []\n"), /field 'api\.trusted' is unknown/);
  assert.match(await configError("", { MYCOSWARM_API_WEB: "maybe" }), /MYCOSWARM_API_WEB/);
});
