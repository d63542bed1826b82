import assert from "node:assert/strict";
import { loadConfig } from "./config.ts";
import { readWebSettings } from "./web_settings.ts";

const noFile = () => Promise.reject(new Deno.errors.NotFound("none"));
const file = (text: string) => () => Promise.resolve(text);

Deno.test("loadConfig() defaults the web to DuckDuckGo's order, public pages, web-cache/", async () => {
  const config = await loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: noFile });
  assert.deepEqual(config.web, {
    searxngUrl: null,
    braveApiKey: null,
    providers: null,
    allowPrivate: false,
  });
  assert.equal(config.paths.webCacheDir, "/d/web-cache");
  assert.ok(Object.isFrozen(config.web));
});

Deno.test("loadConfig() reads [web] and lets the environment win", async () => {
  const toml = `
[web]
searxng_url = "http://nas.local:8888/"
brave_api_key = "file-key"
providers = ["searxng", "duckduckgo"]
allow_private = true
`;
  const fromFile = await loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file(toml) });
  assert.deepEqual(fromFile.web, {
    searxngUrl: "http://nas.local:8888",
    braveApiKey: "file-key",
    providers: ["searxng", "duckduckgo"],
    allowPrivate: true,
  });
  const fromEnv = await loadConfig({
    env: {
      MYCOSWARM_HOME: "/d",
      MYCOSWARM_SEARXNG_URL: "https://searx.example/",
      BRAVE_API_KEY: "env-key",
      MYCOSWARM_WEB_PROVIDERS: "Brave, searxng,brave",
      MYCOSWARM_WEB_ALLOW_PRIVATE: "0",
    },
    readFile: file(toml),
  });
  assert.deepEqual(fromEnv.web, {
    searxngUrl: "https://searx.example",
    braveApiKey: "env-key",
    providers: ["brave", "searxng"],
    allowPrivate: false,
  });
});

Deno.test("readWebSettings() names what is wrong and what to set", () => {
  const bad = (env: Record<string, string>, pattern: RegExp, file = {}) =>
    assert.throws(() => readWebSettings(env, file, "/d/config.toml"), pattern);
  bad({ MYCOSWARM_SEARXNG_URL: "nas:8888" }, /MYCOSWARM_SEARXNG_URL="nas:8888" is not an http/);
  bad({ MYCOSWARM_WEB_PROVIDERS: "google" }, /'google' is not a web search provider/);
  bad({ MYCOSWARM_WEB_PROVIDERS: " , " }, /lists no web search provider/);
  bad({ MYCOSWARM_WEB_PROVIDERS: "searxng" }, /lists searxng: set MYCOSWARM_SEARXNG_URL/);
  bad({}, /web\.providers lists brave: set BRAVE_API_KEY/, { providers: ["brave"] });
  bad({ MYCOSWARM_WEB_ALLOW_PRIVATE: "maybe" }, /must be 1 or 0/);
});

Deno.test("loadConfig() checks the types of [web] fields", async () => {
  await assert.rejects(
    loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file("[web]\nallow_private = 1\n") }),
    /field 'web\.allow_private' must be true or false/,
  );
  await assert.rejects(
    loadConfig({ env: { MYCOSWARM_HOME: "/d" }, readFile: file("[web]\nbrave = 'k'\n") }),
    /field 'web\.brave' is unknown/,
  );
});
