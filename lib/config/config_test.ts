import assert from "node:assert/strict";
import { loadConfig } from "./config.ts";
import { isMycoError } from "../core/mod.ts";

const noFile = () => Promise.reject(new Deno.errors.NotFound("none"));
const file = (text: string) => () => Promise.resolve(text);

Deno.test("loadConfig() defaults to Ollama on localhost under ~/.config/mycoswarm", async () => {
  const config = await loadConfig({ env: { HOME: "/home/ann" }, readFile: noFile });
  assert.equal(config.paths.home, "/home/ann/.config/mycoswarm");
  assert.equal(config.paths.sessionsDir, "/home/ann/.config/mycoswarm/sessions");
  assert.equal(config.llm.url, "http://127.0.0.1:11434");
  assert.equal(config.llm.kind, "ollama");
  assert.equal(config.llm.urlSource, "default");
  assert.equal(config.llm.chatModel, null);
  assert.equal(config.daemon.port, 7890);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.llm));
});

Deno.test("loadConfig() layers defaults → file → environment → flags", async () => {
  const toml = `
[llm]
url = "http://file-box:8080/v1"
chat_model = "from-file"
gate_model = "gemma3:1b"
[daemon]
port = 9000
`;
  const fromFile = await loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file(toml) });
  assert.equal(fromFile.llm.url, "http://file-box:8080/v1");
  assert.equal(fromFile.llm.kind, "auto");
  assert.equal(fromFile.llm.chatModel, "from-file");
  assert.equal(fromFile.llm.gateModel, "gemma3:1b");
  assert.equal(fromFile.daemon.port, 9000);

  const fromEnv = await loadConfig({
    env: { MYCOSWARM_HOME: "/d", OLLAMA_HOST: "gpu:11434", MYCOSWARM_MODEL: "from-env" },
    readFile: file(toml),
  });
  assert.equal(fromEnv.llm.url, "http://gpu:11434");
  assert.equal(fromEnv.llm.kind, "ollama");
  assert.equal(fromEnv.llm.urlSource, "OLLAMA_HOST");
  assert.equal(fromEnv.llm.chatModel, "from-env");

  const fromFlags = await loadConfig({
    env: { MYCOSWARM_HOME: "/d", MYCOSWARM_MODEL: "from-env" },
    flags: { model: "from-flag" },
    readFile: file(toml),
  });
  assert.equal(fromFlags.llm.chatModel, "from-flag");
});

Deno.test("loadConfig() lets MYCOSWARM_LLM_URL win over OLLAMA_HOST", async () => {
  const config = await loadConfig({
    env: { MYCOSWARM_HOME: "/d", OLLAMA_HOST: "a", MYCOSWARM_LLM_URL: "http://b:8080/v1" },
    readFile: noFile,
  });
  assert.equal(config.llm.url, "http://b:8080/v1");
  assert.equal(config.llm.kind, "openai");
  assert.equal(config.llm.urlSource, "MYCOSWARM_LLM_URL");
});

Deno.test("loadConfig() names the file, line and column of a TOML syntax error", async () => {
  await assert.rejects(
    loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file('[llm]\nurl = "x\n') }),
    (e) => {
      assert.ok(isMycoError(e, "config_invalid"));
      assert.match(e.message, /^\/d\/config\.toml:2:\d+: invalid TOML/);
      return true;
    },
  );
});

Deno.test("loadConfig() names an unknown or mistyped field", async () => {
  const bad = async (toml: string, pattern: RegExp) =>
    await assert.rejects(
      loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file(toml) }),
      pattern,
    );
  await bad("[llm]\nchat_modle = 'x'\n", /field 'llm\.chat_modle' is unknown/);
  await bad("[daemon]\nport = 'x'\n", /field 'daemon\.port' must be an integer/);
  await bad("[daemon]\nport = 70000\n", /field 'daemon\.port'/);
  await bad("[llm]\nkind = 'vllm'\n", /field 'llm\.kind' must be one of auto, ollama, openai/);
  await bad("[nonsense]\na = 1\n", /field 'nonsense' is an unknown section/);
  await bad("top = 1\n", /field 'top' is outside any section/);
  await bad("tier = 'light'\n", /outside any section \(did you mean \[node\] tier\?\)/);
  await bad("[node]\ntier = 'boss'\n", /field 'node\.tier': 'boss' is not a tier/);
  await bad("[llm]\ntimeout_seconds = 0\n", /above 0, at most 3600/);
});

Deno.test("loadConfig() reports an unreadable config file", async () => {
  const denied = () => Promise.reject(new Deno.errors.PermissionDenied("permission denied"));
  await assert.rejects(
    loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: denied }),
    /Cannot read config file \/d\/config\.toml: permission denied/,
  );
});

Deno.test("loadConfig() rejects a bad MYCOSWARM_PORT", async () => {
  await assert.rejects(
    loadConfig({ env: { MYCOSWARM_HOME: "/d", MYCOSWARM_PORT: "abc" }, readFile: noFile }),
    /MYCOSWARM_PORT="abc" is not a port/,
  );
});

Deno.test("loadConfig() checks MYCOSWARM_TIER and says where the chat model came from", async () => {
  await assert.rejects(
    loadConfig({ env: { MYCOSWARM_HOME: "/d", MYCOSWARM_TIER: "boss" }, readFile: noFile }),
    /MYCOSWARM_TIER: 'boss' is not a tier \(one of executive, specialist, worker, light, edge\)/,
  );
  const ok = await loadConfig({
    env: { MYCOSWARM_HOME: "/d", MYCOSWARM_TIER: " Light", MYCOSWARM_MODEL: "m" },
    readFile: noFile,
  });
  assert.equal(ok.node.tier, "light");
  assert.equal(ok.llm.chatModelSource, "MYCOSWARM_MODEL");
});

Deno.test("loadConfig() reads the heartbeat period and static peers of [daemon]", async () => {
  const config = await loadConfig({
    env: { MYCOSWARM_HOME: "/d" },
    readFile: file('[daemon]\nheartbeat_seconds = 5\npeers = ["gpu:7890", "pi:7890"]\n'),
  });
  assert.equal(config.daemon.heartbeatSeconds, 5);
  assert.deepEqual(config.daemon.peers, ["gpu:7890", "pi:7890"]);
  const defaults = await loadConfig({
    env: { MYCOSWARM_HOME: "/d", MYCOSWARM_PEERS: "a:1, b:2" },
    readFile: noFile,
  });
  assert.equal(defaults.daemon.heartbeatSeconds, 2);
  assert.deepEqual(defaults.daemon.peers, ["a:1", "b:2"]);
});

Deno.test("loadConfig() turns mDNS off with [daemon] mdns = false or MYCOSWARM_MDNS=0", async () => {
  const load = (env: Record<string, string>, toml?: string) =>
    loadConfig({ env: { MYCOSWARM_HOME: "/d", ...env }, readFile: toml ? file(toml) : noFile });
  assert.equal((await load({})).daemon.mdns, true);
  assert.equal((await load({}, "[daemon]\nmdns = false\n")).daemon.mdns, false);
  assert.equal((await load({ MYCOSWARM_MDNS: "0" })).daemon.mdns, false);
  assert.equal((await load({ MYCOSWARM_MDNS: "off" })).daemon.mdns, false);
  assert.equal((await load({ MYCOSWARM_MDNS: "1" }, "[daemon]\nmdns = false\n")).daemon.mdns, true);
  assert.equal((await load({ MYCOSWARM_MDNS: "" }, "[daemon]\nmdns = false\n")).daemon.mdns, false);
  await assert.rejects(load({ MYCOSWARM_MDNS: "maybe" }), /MYCOSWARM_MDNS="maybe" must be 1 or 0/);
  await assert.rejects(load({}, '[daemon]\nmdns = "no"\n'), /'daemon\.mdns' must be true or false/);
});

Deno.test("loadConfig() reads [llm] context_tokens and keep_alive; unset, both are null", async () => {
  const unset = await loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: noFile });
  assert.equal(unset.llm.contextTokens, null);
  assert.equal(unset.llm.keepAlive, null);
  const toml = '[llm]\ncontext_tokens = 16384\nkeep_alive = "1h30m"\n';
  const set = await loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file(toml) });
  assert.equal(set.llm.contextTokens, 16384);
  assert.equal(set.llm.keepAlive, "1h30m");
  const forever = await loadConfig({
    env: { MYCOSWARM_HOME: "/d" },
    readFile: file("[llm]\nkeep_alive = -1\n"),
  });
  assert.equal(forever.llm.keepAlive, -1);
  await assert.rejects(
    loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file('[llm]\nkeep_alive = "soon"\n') }),
    (e) =>
      isMycoError(e, "config_invalid") && /'llm\.keep_alive' must be a duration/.test(e.message),
  );
});
