import assert from "node:assert/strict";
import { send, testApi } from "../../testing/test_api.ts";

Deno.test("GET / and HEAD / answer as Ollama does, for a client with credentials", async () => {
  await using api = testApi();
  const get = await send(api.app, "/");
  assert.equal(get.status, 200);
  assert.equal(await get.text(), "Ollama is running");
  const head = await send(api.app, "/", { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  const anonymous = await send(api.app, "/", { token: null });
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
});

Deno.test("a node without a model router says it passes nothing through", async () => {
  await using api = testApi();
  const res = await send(api.app, "/api/chat", {
    body: { model: "llama3.2:3b", messages: [{ role: "user", content: "hi" }] },
  });
  assert.equal(res.status, 404);
  assert.match((await res.json()).error, /passes no requests to model servers/);
});
