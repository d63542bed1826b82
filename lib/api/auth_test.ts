import assert from "node:assert/strict";
import type { NodeApp } from "./mod.ts";
import { ApiKeyWatcher, hashApiKey } from "../node/mod.ts";
import { send, T0, testApi, TOKEN } from "../../testing/test_api.ts";
import { ManualTime } from "../../testing/time.ts";
import { connectionAddress, presentedToken } from "./auth.ts";
import { isClientRoute } from "./route_class.ts";
import type { ApiDeps } from "./types.ts";

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

// --- client keys, trusted networks, CORS -------------------------------------------------

const KEY = "myco_" + "k".repeat(43);

/** A key file in memory behind a real watcher on the API's clock. */
async function keyFile(clock: ManualTime, names: Record<string, string>) {
  const text = async (entries: Record<string, string>) =>
    JSON.stringify({
      keys: await Promise.all(
        Object.entries(entries).map(async ([name, key]) => ({
          name,
          sha256: await hashApiKey(key),
          created: "",
        })),
      ),
    });
  const file = { text: await text(names), stamp: 1 };
  const watcher = new ApiKeyWatcher("/api-keys.json", {
    clock,
    stat: () => Promise.resolve(String(file.stamp)),
    readTextFile: () => Promise.resolve(file.text),
  });
  return {
    keys: () => watcher.keys(),
    async write(entries: Record<string, string>) {
      file.text = await text(entries);
      file.stamp++;
    },
  };
}

function keyedApi(api: Partial<ApiDeps> = {}) {
  const clock = new ManualTime(T0);
  const keys = keyFile(clock, { ha: KEY });
  return keys.then((file) => ({
    file,
    ...testApi({ queue: { clock }, api: { clock, clientKeys: file.keys, ...api } }),
    clock, // the key file's clock, not testApi's own
  }));
}

function request(
  app: NodeApp,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return Promise.resolve(
    app.request(path, { method: init.method ?? "GET", headers: init.headers ?? {} }),
  );
}

Deno.test("isClientRoute() puts /, /api/… and /v1/… on the client side, the rest on the node's", () => {
  for (const path of ["/", "/api", "/api/tags", "/api/chat", "/v1", "/v1/models", "/v1/x/y"]) {
    assert.equal(isClientRoute(path), true, path);
  }
  for (const path of ["/health", "/task", "/task/x", "/peers", "/status", "/identity", "/apis"]) {
    assert.equal(isClientRoute(path), false, path);
  }
  assert.equal(isClientRoute("/v1x"), false);
});

Deno.test("a client key opens the Ollama and OpenAI routes, as Bearer", async () => {
  await using api = await keyedApi();
  for (const path of ["/api/tags", "/api/version", "/v1/models"]) {
    const res = await send(api.app, path, { token: KEY, bearer: true });
    assert.equal(res.status, 200, path);
    await res.body?.cancel();
  }
  const token = await send(api.app, "/api/tags", { bearer: true });
  assert.equal(token.status, 200, "the swarm token opens the client routes too");
  await token.body?.cancel();
});

Deno.test("a client key on a node route is 403, saying what client keys open", async () => {
  await using api = await keyedApi();
  for (const path of ["/identity", "/peers", "/status", "/task/x"]) {
    const res = await send(api.app, path, { token: KEY, bearer: true });
    assert.equal(res.status, 403, path);
    const body = await res.json();
    assert.equal(body.error.code, "forbidden");
    assert.match(body.error.message, /Client keys open only the Ollama \(\/api\/\) and OpenAI/);
  }
  const post = await send(api.app, "/task", { token: KEY, body: { task_type: "ping" } });
  assert.equal(post.status, 403);
  await post.body?.cancel();
  assert.equal(api.queue.stats().completed + api.queue.stats().queued, 0, "nothing was queued");
});

Deno.test("a revoked key is refused once the file changed and a second passed", async () => {
  await using api = await keyedApi();
  const tags = () => send(api.app, "/api/tags", { token: KEY, bearer: true });
  assert.equal((await tags()).status, 200);
  await api.file.write({ other: "myco_other" }); // `mycoswarm apikey revoke ha`
  api.clock.advance(500);
  assert.equal((await tags()).status, 200, "looked at the file less than a second ago");
  api.clock.advance(500);
  const refused = await tags();
  assert.equal(refused.status, 403);
  assert.deepEqual(await refused.json(), {
    error: "Unknown or revoked API key (see `mycoswarm apikey list`)",
  }, "Ollama's error shape under /api/");
  const openai = await send(api.app, "/v1/models", { token: KEY, bearer: true });
  assert.equal(openai.status, 403);
  assert.equal((await openai.json()).error.code, "forbidden", "OpenAI's shape under /v1/");
  const other = await send(api.app, "/v1/models", { token: "myco_other", bearer: true });
  assert.equal(other.status, 200);
  await other.body?.cancel();
});

Deno.test("no credentials on a client route is 401 in the route's wire format, naming apikey", async () => {
  await using api = await keyedApi();
  const ollama = await send(api.app, "/api/tags", { token: null });
  assert.equal(ollama.status, 401);
  assert.equal(ollama.headers.get("www-authenticate"), 'Bearer realm="mycoswarm"');
  assert.match((await ollama.json()).error, /needs an API key: .*mycoswarm apikey create NAME/);
  const openai = await send(api.app, "/v1/models", { token: null });
  assert.equal(openai.status, 401);
  assert.equal((await openai.json()).error.code, "unauthorized");
});

Deno.test("a trusted network opens the client routes without a key, never the node routes", async () => {
  let address: string | null = "192.168.1.7";
  await using api = await keyedApi({
    trustedNetworks: ["192.168.1.0/24", "10.0.0.5/32", "fd00::/8"],
    remoteAddress: () => address,
  });
  const tags = () => send(api.app, "/api/tags", { token: null });
  const allowed = ["192.168.1.7", "::ffff:192.168.1.7", "10.0.0.5", "fd12:3456::9"];
  for (const from of allowed) {
    address = from;
    const res = await tags();
    assert.equal(res.status, 200, from);
    await res.body?.cancel();
  }
  for (const from of ["192.168.2.7", "::ffff:192.168.2.7", "10.0.0.6", "fe80::1", null]) {
    address = from;
    const res = await tags();
    assert.equal(res.status, 401, String(from));
    await res.body?.cancel();
  }
  address = "192.168.1.7";
  const node = await send(api.app, "/identity", { token: null });
  assert.equal(node.status, 401, "node routes need the token even from a trusted network");
  await node.body?.cancel();
  const wrong = await send(api.app, "/api/tags", { token: "myco_wrong", bearer: true });
  assert.equal(wrong.status, 403, "a presented key is checked even from a trusted network");
  await wrong.body?.cancel();
});

Deno.test("a browser page from an unlisted origin does not borrow a trusted network's trust", async () => {
  await using api = await keyedApi({
    trustedNetworks: ["192.168.1.0/24"],
    corsOrigins: ["http://localhost:3000"],
    remoteAddress: () => "192.168.1.7",
  });
  const evil = await request(api.app, "/api/tags", { headers: { Origin: "https://evil.example" } });
  assert.equal(evil.status, 401);
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
  await evil.body?.cancel();
  const listed = await request(api.app, "/api/tags", {
    headers: { Origin: "http://localhost:3000" },
  });
  assert.equal(listed.status, 200);
  assert.equal(listed.headers.get("access-control-allow-origin"), "http://localhost:3000");
  await listed.body?.cancel();
});

Deno.test("CORS: a preflight from a listed origin answers 204 without auth", async () => {
  await using api = await keyedApi({ corsOrigins: ["http://localhost:3000"] });
  const res = await request(api.app, "/v1/chat/completions", {
    method: "OPTIONS",
    headers: {
      Origin: "http://localhost:3000",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "authorization, content-type",
    },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("access-control-allow-origin"), "http://localhost:3000");
  assert.match(res.headers.get("access-control-allow-methods")!, /POST/);
  assert.equal(res.headers.get("access-control-allow-headers"), "authorization, content-type");
  assert.equal(res.headers.get("access-control-max-age"), "600");
  assert.match(res.headers.get("vary")!, /Origin/);
  assert.equal(await res.text(), "");

  const tags = await request(api.app, "/api/tags", {
    headers: { Origin: "http://localhost:3000", Authorization: `Bearer ${KEY}` },
  });
  assert.equal(tags.status, 200);
  assert.equal(tags.headers.get("access-control-allow-origin"), "http://localhost:3000");
  assert.match(tags.headers.get("vary")!, /Origin/);
  await tags.body?.cancel();
  const denied = await request(api.app, "/api/tags", {
    headers: { Origin: "http://localhost:3000" },
  });
  assert.equal(denied.status, 401);
  assert.equal(
    denied.headers.get("access-control-allow-origin"),
    "http://localhost:3000",
    "the page can read why",
  );
  await denied.body?.cancel();
});

Deno.test("CORS: an unlisted origin gets 403 to its preflight and no CORS headers", async () => {
  await using api = await keyedApi({ corsOrigins: ["http://localhost:3000"] });
  const preflight = {
    method: "OPTIONS",
    headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
  };
  const res = await request(api.app, "/api/chat", preflight);
  assert.equal(res.status, 403);
  assert.equal(res.headers.get("access-control-allow-origin"), null);
  assert.match(
    (await res.json()).error,
    /Origin https:\/\/evil\.example may not call .*cors_origins/,
  );
  const tags = await request(api.app, "/api/tags", {
    headers: { Origin: "https://evil.example", Authorization: `Bearer ${KEY}` },
  });
  assert.equal(tags.status, 200);
  assert.equal(tags.headers.get("access-control-allow-origin"), null);
  assert.match(tags.headers.get("vary")!, /Origin/);
  await tags.body?.cancel();
  const node = await request(api.app, "/status", {
    ...preflight,
    headers: { ...preflight.headers, Origin: "http://localhost:3000" },
  });
  assert.equal(node.status, 401, "node routes answer no preflight");
  assert.equal(node.headers.get("access-control-allow-origin"), null);
  await node.body?.cancel();
});

Deno.test("CORS: none by default, so a preflight is just an unauthenticated request", async () => {
  await using api = await keyedApi();
  const res = await request(api.app, "/api/tags", {
    method: "OPTIONS",
    headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "GET" },
  });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("access-control-allow-origin"), null);
  await res.body?.cancel();
});

Deno.test("GET /health stays open with keys, trusted networks and CORS configured", async () => {
  await using api = await keyedApi({
    trustedNetworks: ["10.0.0.0/8"],
    corsOrigins: ["http://localhost:3000"],
    remoteAddress: () => "192.168.9.9",
  });
  const res = await send(api.app, "/health", { token: null });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, "ok");
});

Deno.test("the remote address comes from the socket under Deno.serve", async () => {
  await using api = await keyedApi({ trustedNetworks: ["127.0.0.0/8"] });
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, api.app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const res = await fetch(`${url}/api/tags`);
  assert.equal(res.status, 200, "127.0.0.1 is trusted");
  await res.body?.cancel();
  const node = await fetch(`${url}/status`);
  assert.equal(node.status, 401);
  await node.body?.cancel();
  assert.equal(connectionAddress(api.app.request("/") as never), null);
});
