import assert from "node:assert/strict";
import { parseBaseUrl, parseOllamaHost } from "./model_server_url.ts";
import { isMycoError } from "../core/mod.ts";

Deno.test("parseOllamaHost() reads every form Ollama accepts", () => {
  assert.equal(parseOllamaHost("gpu-box"), "http://gpu-box:11434");
  assert.equal(parseOllamaHost("gpu-box:8080"), "http://gpu-box:8080");
  assert.equal(parseOllamaHost(":8080"), "http://127.0.0.1:8080");
  assert.equal(parseOllamaHost("0.0.0.0"), "http://127.0.0.1:11434");
  assert.equal(parseOllamaHost("0.0.0.0:11434"), "http://127.0.0.1:11434");
  assert.equal(parseOllamaHost("http://10.0.0.5"), "http://10.0.0.5:80");
  assert.equal(parseOllamaHost("https://ollama.lan"), "https://ollama.lan:443");
  assert.equal(parseOllamaHost("http://10.0.0.5:11434/"), "http://10.0.0.5:11434");
  assert.equal(parseOllamaHost("[::1]:9999"), "http://[::1]:9999");
  assert.equal(parseOllamaHost("::1"), "http://[::1]:11434");
  assert.equal(parseOllamaHost(""), "http://127.0.0.1:11434");
});

Deno.test("parseOllamaHost() names the variable and the fault for a bad value", () => {
  assert.throws(() => parseOllamaHost("box:99999"), (e) => {
    assert.ok(isMycoError(e, "config_invalid"));
    assert.match(e.message, /OLLAMA_HOST="box:99999".*bad port/);
    return true;
  });
  assert.throws(() => parseOllamaHost("ftp://box"), /unsupported scheme 'ftp'/);
});

Deno.test("parseBaseUrl() keeps /v1 and drops a trailing slash", () => {
  assert.equal(parseBaseUrl("X", "http://box:8080/v1/"), "http://box:8080/v1");
  assert.equal(parseBaseUrl("X", "http://box:8080"), "http://box:8080");
  assert.throws(
    () => parseBaseUrl("MYCOSWARM_LLM_URL", "box:8080"),
    /MYCOSWARM_LLM_URL.*only http/,
  );
  assert.throws(() => parseBaseUrl("MYCOSWARM_LLM_URL", "not a url"), /not a URL/);
});
