import assert from "node:assert/strict";
import { T0 } from "../../testing/discovery.ts";
import { parseStaticPeers, staticAnnouncement } from "./static_peers.ts";

Deno.test("parseStaticPeers() takes host:port entries and reports the rest", () => {
  const { peers, invalid } = parseStaticPeers([
    "10.0.0.5:7890",
    " pi.lan:7891 ",
    "[fe80::1]:7890",
    "",
    "10.0.0.5:7890",
    "nohost",
    "a:0",
    "a:70000",
    "bad_host:1",
    "10.0.0.5:",
  ]);
  assert.deepEqual(peers, [
    { hostPort: "10.0.0.5:7890", host: "10.0.0.5", port: 7890 },
    { hostPort: "pi.lan:7891", host: "pi.lan", port: 7891 },
    { hostPort: "[fe80::1]:7890", host: "[fe80::1]", port: 7890 },
  ]);
  assert.deepEqual(invalid, ["nohost", "a:0", "a:70000", "bad_host:1", "10.0.0.5:"]);
});

Deno.test("staticAnnouncement() stands for a polled peer as if it had announced", () => {
  const peer = { hostPort: "10.0.0.5:7890", host: "10.0.0.5", port: 7890 };
  const a = staticAnnouncement(peer, { nodeId: "myco-00000000000a", txt: { tier: "edge" } }, {
    now: T0,
    ttlSeconds: 120,
  });
  assert.deepEqual(a, {
    instance: "myco-00000000000a._mycoswarm._tcp.local",
    nodeId: "myco-00000000000a",
    hostname: "10.0.0.5",
    addresses: ["10.0.0.5"],
    port: 7890,
    txt: { tier: "edge", node_id: "myco-00000000000a", port: "7890" },
    ttl: 120,
    expiresAt: T0 + 120_000,
    goodbye: false,
  });
  const named = { hostPort: "pi.lan:7890", host: "pi.lan", port: 7890 };
  assert.deepEqual(
    staticAnnouncement(named, { nodeId: "myco-00000000000a" }, { now: T0, ttlSeconds: 1 })
      ?.addresses,
    [],
  );
  assert.equal(staticAnnouncement(peer, { nodeId: "evil" }, { now: T0, ttlSeconds: 1 }), null);
});
