import assert from "node:assert/strict";
import { send, testApi, TOKEN } from "../../testing/test_api.ts";
import { presentedToken } from "./auth.ts";

Deno.test("GET /health answers without the token", async () => {
  await using api = testApi();
  const res = await send(api.app, "/health", { token: null });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, "ok");
});

Deno.test("every other route answers 401 without a token, as JSON", async () => {
  await using api = testApi();
  for (const path of ["/identity", "/peers", "/status", "/task/x", "/task/x/stream", "/nope"]) {
    const res = await send(api.app, path, { token: null });
    assert.equal(res.status, 401, path);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="mycoswarm"');
    const body = await res.json();
    assert.equal(body.error.code, "unauthorized");
    assert.match(body.error.message, /X-Swarm-Token/);
  }
  const post = await send(api.app, "/task", { token: null, body: { task_type: "ping" } });
  assert.equal(post.status, 401);
  await post.body?.cancel();
  assert.equal(api.queue.stats().completed + api.queue.stats().queued, 0, "nothing was queued");
});

Deno.test("a wrong token answers 403, in either header", async () => {
  await using api = testApi();
  const wrong = "cd".repeat(32);
  for (const bearer of [false, true]) {
    const res = await send(api.app, "/identity", { token: wrong, bearer });
    assert.equal(res.status, 403);
    assert.deepEqual((await res.json()).error.code, "forbidden");
  }
  const short = await send(api.app, "/identity", { token: "abc" });
  assert.equal(short.status, 403);
  await short.body?.cancel();
});

Deno.test("the right token passes in X-Swarm-Token or Authorization: Bearer", async () => {
  await using api = testApi();
  for (const bearer of [false, true]) {
    const res = await send(api.app, "/identity", { bearer });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).node_id, "myco-aaaaaaaaaaaa");
  }
  const unknown = await send(api.app, "/nope");
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).error.code, "not_found");
});

Deno.test("presentedToken() reads either header, X-Swarm-Token first", () => {
  const h = (init: Record<string, string>) => presentedToken(new Headers(init));
  assert.equal(h({ "X-Swarm-Token": ` ${TOKEN} ` }), TOKEN);
  assert.equal(h({ Authorization: `bearer ${TOKEN}` }), TOKEN);
  assert.equal(h({ Authorization: `Basic ${TOKEN}` }), null);
  assert.equal(h({ Authorization: "Bearer" }), null);
  assert.equal(h({ "X-Swarm-Token": "a", Authorization: "Bearer b" }), "a");
  assert.equal(h({}), null);
});
