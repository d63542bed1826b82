import assert from "node:assert/strict";
import type { Logger } from "../core/mod.ts";
import { T0 } from "../../testing/discovery.ts";
import { ManualTime } from "../../testing/time.ts";
import { discoveryConfig } from "./config.ts";
import type { Announcement } from "./parse_announcement.ts";
import { type PeerEvent, PeerTable } from "./peer_table.ts";

const ID = "myco-0123456789ab";

function announcement(overrides: Partial<Announcement> = {}): Announcement {
  return {
    instance: `${ID}._mycoswarm._tcp.local`,
    nodeId: ID,
    hostname: "gpu-box",
    addresses: ["10.0.0.2"],
    port: 7890,
    txt: { node_id: ID, tier: "executive", ts: "1", sig: "aa" },
    ttl: 120,
    expiresAt: T0 + 120_000,
    goodbye: false,
    ...overrides,
  };
}

function setup(options: ConstructorParameters<typeof PeerTable>[0] = {}) {
  const table = new PeerTable(options);
  const events: string[] = [];
  table.on((e: PeerEvent) => events.push(`${e.type}:${e.peer.state}`));
  return { table, events, clock: new ManualTime(T0) };
}

Deno.test("PeerTable.observe() adds a new peer as alive and emits join", () => {
  const { table, events, clock } = setup();
  table.observe(announcement(), clock.now());
  assert.deepEqual(events, ["join:alive"]);
  assert.deepEqual(table.peers(), [{
    nodeId: ID,
    instance: `${ID}._mycoswarm._tcp.local`,
    hostname: "gpu-box",
    addresses: ["10.0.0.2"],
    port: 7890,
    txt: { node_id: ID, tier: "executive", ts: "1", sig: "aa" },
    state: "alive",
    stateSince: T0,
    lastSeen: T0,
    ttl: 120,
    failures: 0,
    latencyMs: null,
  }]);
});

Deno.test("PeerTable.observe() emits update only when something but ts and sig changed", () => {
  const { table, events, clock } = setup();
  table.observe(announcement(), clock.now());
  table.observe(
    announcement({ txt: { node_id: ID, tier: "executive", ts: "2", sig: "bb" } }),
    clock.advance(90_000),
  );
  assert.deepEqual(events, ["join:alive"]);
  assert.equal(table.get(ID)?.lastSeen, T0 + 90_000);
  table.observe(announcement({ addresses: ["10.0.0.3"] }), clock.advance(1));
  table.observe(announcement({ addresses: ["10.0.0.3"], port: 7891 }), clock.advance(1));
  table.observe(announcement({ addresses: ["10.0.0.3"], port: 7891, txt: {} }), clock.advance(1));
  assert.deepEqual(events, ["join:alive", "update:alive", "update:alive", "update:alive"]);
});

Deno.test("PeerTable: one failed heartbeat makes a peer suspect, three in a row dead", () => {
  const { table, events, clock } = setup();
  table.observe(announcement(), clock.now());
  table.heartbeatFailed(ID, clock.advance(2_000));
  assert.equal(table.get(ID)?.state, "suspect");
  table.heartbeatFailed(ID, clock.advance(2_000));
  assert.equal(table.get(ID)?.failures, 2);
  table.heartbeatFailed(ID, clock.advance(2_000));
  assert.deepEqual(events, ["join:alive", "suspect:suspect", "dead:dead"]);
  assert.deepEqual(table.get(ID)?.stateSince, T0 + 6_000);
  table.heartbeatFailed(ID, clock.advance(2_000));
  assert.equal(table.get(ID)?.failures, 3, "no counting once dead");
});

Deno.test("PeerTable: a good heartbeat clears failures and brings a suspect back", () => {
  const { table, events, clock } = setup();
  table.observe(announcement(), clock.now());
  table.heartbeatFailed(ID, clock.advance(2_000));
  table.heartbeatFailed(ID, clock.advance(2_000));
  table.heartbeatOk(ID, clock.advance(2_000), 10);
  table.heartbeatFailed(ID, clock.advance(2_000));
  table.heartbeatFailed(ID, clock.advance(2_000));
  assert.deepEqual(events, ["join:alive", "suspect:suspect", "update:alive", "suspect:suspect"]);
  assert.equal(table.get(ID)?.state, "suspect");
});

Deno.test("PeerTable: latency is an EWMA with alpha 0.3", () => {
  const { table, clock } = setup();
  table.observe(announcement(), clock.now());
  table.heartbeatOk(ID, clock.advance(2_000), 10);
  assert.equal(table.get(ID)?.latencyMs, 10);
  table.heartbeatOk(ID, clock.advance(2_000), 20);
  assert.equal(table.get(ID)?.latencyMs, 13);
  table.heartbeatOk(ID, clock.advance(2_000), 3);
  assert.equal(table.get(ID)?.latencyMs, 0.3 * 3 + 0.7 * 13);
});

Deno.test("PeerTable: a dead peer that answers or announces again joins again", () => {
  const { table, events, clock } = setup({ config: discoveryConfig({ failuresBeforeDead: 1 }) });
  table.observe(announcement(), clock.now());
  table.heartbeatFailed(ID, clock.advance(2_000));
  table.heartbeatOk(ID, clock.advance(2_000), 5);
  table.heartbeatFailed(ID, clock.advance(2_000));
  table.observe(announcement(), clock.advance(2_000));
  assert.deepEqual(events, ["join:alive", "dead:dead", "join:alive", "dead:dead", "join:alive"]);
  assert.equal(table.get(ID)?.failures, 0);
});

Deno.test("PeerTable: a goodbye makes a peer left and emits leave, once", () => {
  const { table, events, clock } = setup();
  table.observe(announcement(), clock.now());
  table.observe(announcement({ goodbye: true, ttl: 0 }), clock.advance(100));
  table.observe(announcement({ goodbye: true, ttl: 0 }), clock.advance(100));
  table.heartbeatOk(ID, clock.advance(100), 1);
  table.heartbeatFailed(ID, clock.advance(100));
  assert.deepEqual(events, ["join:alive", "leave:left"]);
  assert.equal(table.get(ID)?.state, "left");
  table.observe(announcement({ goodbye: true }), clock.now());
  table.observe(announcement({ nodeId: "myco-ffffffffffff", goodbye: true }), clock.now());
  assert.equal(table.peers().length, 1, "a goodbye from a stranger adds nothing");
  table.observe(announcement(), clock.advance(100));
  assert.deepEqual(events, ["join:alive", "leave:left", "join:alive"]);
});

Deno.test("PeerTable.tick() kills a peer with no sign of life for its record TTL", () => {
  const { table, events, clock } = setup();
  table.observe(announcement(), clock.now());
  table.tick(T0 + 119_999);
  assert.equal(table.get(ID)?.state, "alive");
  table.tick(T0 + 120_000);
  assert.deepEqual(events, ["join:alive", "dead:dead"]);
});

Deno.test("PeerTable.tick(): a good heartbeat counts as a sign of life", () => {
  const { table, clock } = setup();
  table.observe(announcement(), clock.now());
  table.heartbeatOk(ID, clock.advance(100_000), 4);
  table.tick(T0 + 219_999);
  assert.equal(table.get(ID)?.state, "alive");
  table.tick(T0 + 220_000);
  assert.equal(table.get(ID)?.state, "dead");
});

Deno.test("PeerTable.tick() forgets dead and left peers after the grace period", () => {
  const { table, clock } = setup();
  table.observe(announcement(), clock.now());
  table.observe(announcement({ nodeId: "myco-ffffffffffff" }), clock.now());
  table.observe(announcement({ goodbye: true }), clock.advance(1_000));
  table.tick(T0 + 1_000 + 59_999);
  assert.equal(table.peers().length, 2);
  table.tick(T0 + 1_000 + 60_000);
  assert.deepEqual(table.peers().map((p) => [p.nodeId, p.state]), [["myco-ffffffffffff", "alive"]]);
  table.tick(T0 + 120_000);
  table.tick(T0 + 180_000);
  assert.deepEqual(table.peers(), []);
});

Deno.test("PeerTable ignores its own node and unknown heartbeats", () => {
  const { table, events, clock } = setup({ selfId: ID });
  table.observe(announcement(), clock.now());
  table.heartbeatOk("myco-ffffffffffff", clock.now(), 1);
  table.heartbeatFailed("myco-ffffffffffff", clock.now());
  assert.deepEqual(events, []);
  assert.deepEqual(table.peers(), []);
});

Deno.test("PeerTable refuses peers past maxPeers and counts rejections by reason", () => {
  const { table, clock } = setup({ config: discoveryConfig({ maxPeers: 2 }) });
  for (const suffix of ["a", "b", "c", "d"]) {
    table.observe(announcement({ nodeId: `myco-00000000000${suffix}` }), clock.now());
  }
  assert.equal(table.peers().length, 2);
  table.recordRejected("bad_signature");
  table.recordRejected("stale");
  table.recordRejected("stale");
  assert.deepEqual(table.rejected(), { table_full: 2, bad_signature: 1, stale: 2 });
});

Deno.test("PeerTable.on() returns an unsubscribe; a throwing listener is logged, others still run", () => {
  const table = new PeerTable({ logger: recordingLogger() });
  const seen: string[] = [];
  table.on(() => {
    throw new Error("boom");
  });
  const off = table.on((e) => seen.push(e.type));
  table.observe(announcement(), T0);
  off();
  table.observe(announcement({ goodbye: true }), T0);
  assert.deepEqual(seen, ["join"]);
  assert.deepEqual(logged, [
    "A peer join listener failed: Error: boom",
    "A peer leave listener failed: Error: boom",
  ]);
});

Deno.test("PeerTable snapshots are copies", () => {
  const { table } = setup();
  table.observe(announcement(), T0);
  const snapshot = table.get(ID)!;
  snapshot.addresses.push("1.2.3.4");
  snapshot.txt.tier = "edge";
  snapshot.state = "dead";
  assert.deepEqual(table.get(ID)?.addresses, ["10.0.0.2"]);
  assert.equal(table.get(ID)?.txt.tier, "executive");
  assert.equal(table.get(ID)?.state, "alive");
});

const logged: string[] = [];
function recordingLogger(): Logger {
  const push = (message: string) => logged.push(message);
  return { debug: push, info: push, warn: push, error: push };
}
