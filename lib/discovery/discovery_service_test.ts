import assert from "node:assert/strict";
import { advertisement, TOKEN } from "../../testing/discovery.ts";
import { addressOf, memoryLogger, nodeIdOf, nodeOf, TestSwarm } from "../../testing/test_swarm.ts";
import { decode, type DnsPacket, encode } from "./dns_codec.ts";
import type { RemoteInfo } from "./packet_transport.ts";
import { PeerTable } from "./peer_table.ts";
import { goodbyePacket, queryPacket } from "./service_records.ts";
import { signTxt } from "./txt_signature.ts";

const OTHER_TOKEN = "fedcba9876543210".repeat(4);

/** Packets a raw member of the network receives. */
function listen(swarm: TestSwarm, address: string, port = 5353) {
  const transport = swarm.network.join(address, port);
  const got: { packet: DnsPacket; from: RemoteInfo }[] = [];
  transport.onPacket((bytes, from) => {
    const packet = decode(bytes);
    if (packet !== null) got.push({ packet, from });
  });
  return { transport, got };
}

/** Nodes 1 and 2, started and aware of each other. */
async function twoNodesFound() {
  const swarm = new TestSwarm();
  const [a, b] = [swarm.add(1), swarm.add(2)];
  await a.start();
  await b.start();
  await swarm.advance(200);
  return { swarm, a, b };
}

Deno.test("DiscoveryService: two nodes find each other within 200 ms of starting", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1);
  const b = swarm.add(2);
  await a.start();
  await swarm.advance(50);
  await b.start();
  await swarm.advance(200);
  assert.deepEqual(swarm.events.get(1), ["join:2"]);
  assert.deepEqual(swarm.events.get(2), ["join:1"]);
  const peer = a.table.get(nodeIdOf(2))!;
  assert.equal(peer.state, "alive");
  assert.deepEqual(peer.addresses, [addressOf(2)]);
  assert.equal(peer.hostname, "node-2");
  assert.equal(peer.port, 7890);
  assert.equal(peer.txt.tier, "light");
  assert.match(peer.txt.sig!, /^[0-9a-f]{64}$/);
  await swarm.close();
});

Deno.test("DiscoveryService: a node started later learns the others from answers to its query", async () => {
  const swarm = new TestSwarm();
  const [a, b, c] = [swarm.add(1), swarm.add(2), swarm.add(3)];
  await a.start();
  await b.start();
  await swarm.advance(10_000); // start-up announcements are over
  await c.start();
  await swarm.advance(200);
  assert.deepEqual(c.peers().map((p) => p.nodeId).sort(), [nodeIdOf(1), nodeIdOf(2)]);
  assert.deepEqual(a.peers().map((p) => p.nodeId).sort(), [nodeIdOf(2), nodeIdOf(3)]);
  assert.deepEqual(b.peers().map((p) => p.nodeId).sort(), [nodeIdOf(1), nodeIdOf(3)]);
  // The first query asks for unicast answers (QU), so they went to c alone.
  const unicast = swarm.network.sent.filter((d) => d.to?.address === addressOf(3));
  assert.equal(unicast.length, 2);
  await swarm.close();
});

Deno.test("DiscoveryService.update() reaches peers as an update event", async () => {
  const { swarm, a, b } = await twoNodesFound();
  await a.update({ node: nodeOf(1, { models: ["qwen3:8b"] }) });
  await swarm.settle();
  assert.deepEqual(swarm.events.get(2), ["join:1", "update:1"]);
  assert.equal(b.table.get(nodeIdOf(1))?.txt.models, "qwen3:8b");
  await assert.rejects(a.update({ node: nodeOf(9) }), /node id/);
  await swarm.close();
});

Deno.test("DiscoveryService.close() sends a signed goodbye and peers see the node leave", async () => {
  const { swarm, a, b } = await twoNodesFound();
  await a.close();
  await swarm.settle();
  assert.deepEqual(swarm.events.get(2), ["join:1", "leave:1"]);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "left");
  const last = decode(swarm.network.sent.at(-1)!.bytes)!;
  assert.ok(last.answers.every((r) => r.ttl === 0));
  await swarm.close();
});

Deno.test("DiscoveryService ignores a goodbye it cannot verify, and counts it", async () => {
  const { swarm, b } = await twoNodesFound();
  const raw = swarm.network.join("10.0.0.66");
  const ad = advertisement({ nodeId: nodeIdOf(1), hostname: "node-1", addresses: [] });
  const unsigned = { node_id: nodeIdOf(1), tier: "light", version: "0.1.0", port: "7890" };
  const ts = String(Math.floor(swarm.time.now() / 1000));
  const forged = await signTxt({ ...unsigned, ts }, OTHER_TOKEN);
  await raw.send(encode(goodbyePacket({ ...ad, txt: unsigned })));
  await raw.send(encode(goodbyePacket({ ...ad, txt: forged })));
  await swarm.settle();
  assert.equal(b.table.get(nodeIdOf(1))?.state, "alive");
  assert.deepEqual(b.rejected(), { missing_signature: 1, bad_signature: 1 });
  await raw.close();
  await swarm.close();
});

Deno.test("DiscoveryService: a signed TXT replayed as a goodbye every 5 s for a minute never drops a live peer", async () => {
  const { swarm, a, b } = await twoNodesFound();
  // The attacker captured node 1's signed TXT (fresh: well within 300 s) and sends it with TTL 0.
  const captured = b.table.get(nodeIdOf(1))!.txt;
  const ad = { nodeId: nodeIdOf(1), hostname: "node-1", addresses: [], port: 7890 };
  const replay = encode(goodbyePacket({ ...ad, txt: captured }));
  const raw = swarm.network.join("10.0.0.66");
  const states = new Set<string | undefined>();
  for (let t = 0; t < 60_000; t += 5_000) {
    await raw.send(replay);
    await swarm.settle();
    states.add(b.table.get(nodeIdOf(1))?.state);
    await swarm.advance(5_000);
    states.add(b.table.get(nodeIdOf(1))?.state);
  }
  assert.deepEqual([...states], ["alive"]);
  assert.deepEqual(swarm.events.get(2), ["join:1"]);
  assert.equal(b.rejected().replay, 12);
  // A real goodbye is still seen at once.
  await a.close();
  await swarm.settle();
  assert.equal(b.table.get(nodeIdOf(1))?.state, "left");
  assert.deepEqual(swarm.events.get(2), ["join:1", "leave:1"]);
  await raw.close();
  await swarm.close();
});

Deno.test("DiscoveryService: the goodbye of a node's last run, replayed, does not drop its new run", async () => {
  const { swarm, a, b } = await twoNodesFound();
  await a.close();
  await swarm.settle();
  const goodbye = swarm.network.sent.at(-1)!.bytes;
  assert.equal(b.table.get(nodeIdOf(1))?.state, "left");
  const again = swarm.add(1); // the same node id, a new boot
  await again.start();
  await swarm.advance(200);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "alive");
  const raw = swarm.network.join("10.0.0.66");
  await raw.send(goodbye);
  await swarm.settle();
  assert.equal(b.table.get(nodeIdOf(1))?.state, "alive");
  assert.equal(b.rejected().replay, 1);
  await raw.close();
  await swarm.close();
});

Deno.test("DiscoveryService: a silent peer is suspect after one failed heartbeat, dead after three", async () => {
  const { swarm, b } = await twoNodesFound();
  swarm.health.set(nodeIdOf(1), "fail");
  swarm.network.drop = (d) => d.from.address === addressOf(1); // no announcements either
  await swarm.advance(2_000);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "suspect");
  await swarm.advance(2_000);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "suspect");
  await swarm.advance(2_000);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "dead");
  assert.deepEqual(swarm.events.get(2), ["join:1", "suspect:1", "dead:1"]);
  const probes = swarm.probes.get(nodeIdOf(1));
  await swarm.advance(4_000); // dead peers are not probed
  assert.equal(swarm.probes.get(nodeIdOf(1)), probes);
  await swarm.close();
});

Deno.test("DiscoveryService: a heartbeat that never answers fails after the timeout", async () => {
  const { swarm, b } = await twoNodesFound();
  swarm.health.set(nodeIdOf(1), "hang");
  await swarm.advance(2_000 + swarm.config.heartbeatTimeoutMs - 300);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "alive");
  await swarm.advance(300);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "suspect");
  swarm.health.set(nodeIdOf(1), "ok");
  await swarm.advance(2_000);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "alive");
  assert.equal(b.table.get(nodeIdOf(1))?.latencyMs, 3);
  assert.deepEqual(swarm.events.get(2), ["join:1", "suspect:1", "update:1"]);
  swarm.health.set(nodeIdOf(1), "hang");
  await swarm.advance(2_100); // a check is in flight: close() must not wait for it
  await swarm.close();
  assert.equal(swarm.time.pending, 0);
});

Deno.test("DiscoveryService rejects announcements signed with another token", async () => {
  const swarm = new TestSwarm();
  const [a, b] = [swarm.add(1), swarm.add(2, { token: OTHER_TOKEN })];
  await a.start();
  await b.start();
  await swarm.advance(2_000);
  assert.deepEqual(a.peers(), []);
  assert.deepEqual(b.peers(), []);
  assert.ok((a.rejected().bad_signature ?? 0) >= 2);
  assert.ok((b.rejected().bad_signature ?? 0) >= 2);
  await swarm.close();
});

Deno.test("DiscoveryService rejects an announcement whose timestamp is too old", async () => {
  const swarm = new TestSwarm();
  const behind = { now: () => swarm.time.now() - 10 * 60_000 };
  const [a, b] = [swarm.add(1), swarm.add(2, { clock: behind })];
  await a.start();
  await b.start();
  await swarm.advance(200);
  assert.equal(a.table.get(nodeIdOf(2)), undefined);
  assert.ok((a.rejected().stale ?? 0) >= 1);
  assert.ok((b.rejected().stale ?? 0) >= 1);
  await swarm.close();
});

Deno.test("DiscoveryService ignores its own packets and never answers its own query", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1);
  await a.start();
  await swarm.advance(10_000);
  assert.deepEqual(a.peers(), []);
  assert.deepEqual(a.rejected(), {});
  const sent = swarm.network.sent.map((d) => decode(d.bytes)!);
  const responses = sent.filter((p) => p.type === "response");
  const queries = sent.filter((p) => p.type === "query");
  assert.equal(responses.length, 3); // the start-up announcements, nothing else
  assert.equal(queries.length, 4); // at 60 ms, then 1, 2 and 4 s apart
  assert.equal(a.stats().received, 7); // all of them looped back, all ignored
  await swarm.close();
});

Deno.test("DiscoveryService counts malformed datagrams and keeps working", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1);
  await a.start();
  const raw = swarm.network.join("10.0.0.66");
  const announcement = swarm.network.sent[0]!.bytes;
  const garbage = [
    new Uint8Array(0),
    new Uint8Array([1, 2, 3, 4, 5]),
    announcement.slice(0, announcement.length - 7),
    new Uint8Array([0, 0, 0x84, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 1, 2]),
    new Uint8Array(10_000),
  ];
  for (const bytes of garbage) await raw.send(bytes);
  await swarm.settle();
  assert.equal(a.stats().malformed, garbage.length);
  const b = swarm.add(2);
  await b.start();
  await swarm.advance(200);
  assert.equal(a.table.get(nodeIdOf(2))?.state, "alive");
  await raw.close();
  await swarm.close();
});

Deno.test("DiscoveryService answers a legacy query by unicast with its id and TTLs of at most 10 s", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1);
  await a.start();
  await swarm.advance(5_000);
  const legacy = listen(swarm, "10.0.0.77", 40_000);
  await legacy.transport.send(encode({ ...queryPacket(), id: 4242 }));
  await swarm.settle();
  assert.equal(legacy.got.length, 1);
  const { packet, from } = legacy.got[0]!;
  assert.deepEqual(from, { address: addressOf(1), port: 5353 });
  assert.equal(packet.id, 4242);
  assert.deepEqual(packet.questions, [{
    name: "_mycoswarm._tcp.local",
    type: "PTR",
    unicastResponse: false,
  }]);
  const records = [...packet.answers, ...packet.additionals];
  assert.deepEqual(records.map((r) => r.type).sort(), ["A", "PTR", "SRV", "TXT"]);
  assert.ok(records.every((r) => r.ttl <= 10 && !r.flush));
  await legacy.transport.close();
  await swarm.close();
});

Deno.test("DiscoveryService multicasts an answer after 20–120 ms, at most once a second", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1);
  await a.start();
  await swarm.advance(5_000);
  const peer = listen(swarm, "10.0.0.88");
  const answersFrom1 = () =>
    peer.got.filter((g) => g.from.address === addressOf(1) && g.packet.type === "response");
  await peer.transport.send(encode(queryPacket()));
  await swarm.advance(19);
  assert.equal(answersFrom1().length, 0);
  await swarm.advance(110); // random() is 0.5: 70 ms
  assert.equal(answersFrom1().length, 1);
  assert.equal(answersFrom1()[0]!.packet.questions.length, 0); // Avahi drops answers with questions
  await peer.transport.send(encode(queryPacket()));
  await swarm.advance(200);
  assert.equal(answersFrom1().length, 1);
  await swarm.advance(1_000);
  await peer.transport.send(encode(queryPacket()));
  await swarm.advance(200);
  assert.equal(answersFrom1().length, 2);
  await peer.transport.close();
  await swarm.close();
});

Deno.test("DiscoveryService: 500 QU queries from one source get a handful of answers, another source still its own", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1);
  await a.start();
  await swarm.advance(5_000); // multicast lately: QU queries are answered by unicast
  const flood = listen(swarm, "10.0.0.66");
  const other = listen(swarm, "10.0.0.67");
  const qu = encode({
    ...queryPacket(),
    questions: queryPacket().questions.map((q) => ({ ...q, unicastResponse: true })),
  });
  const answers = (to: string) =>
    swarm.network.sent.filter((d) => d.from.address === addressOf(1) && d.to?.address === to)
      .length;
  for (let i = 0; i < 500; i++) {
    await flood.transport.send(qu);
    if (i % 16 === 15) await swarm.settle(); // within the inbox's bound: none dropped
  }
  await swarm.settle();
  assert.equal(a.stats().dropped, 0);
  assert.equal(answers("10.0.0.66"), swarm.config.answerBurst);
  assert.equal(a.stats().limited, 500 - swarm.config.answerBurst);
  await other.transport.send(qu);
  await swarm.settle();
  assert.equal(answers("10.0.0.67"), 1);
  // Then one a second: 60 queries over 5.9 s (the bucket empty at their start) get 5 answers.
  for (let i = 0; i < 60; i++) {
    await flood.transport.send(qu);
    await swarm.advance(100);
  }
  assert.equal(answers("10.0.0.66"), swarm.config.answerBurst + 5);
  await flood.transport.close();
  await other.transport.close();
  await swarm.close();
});

Deno.test("DiscoveryService keeps live peers through re-announcements and expires silent ones", async () => {
  const swarm = new TestSwarm();
  const [a, b] = [swarm.add(1, { probe: undefined }), swarm.add(2, { probe: undefined })];
  await a.start();
  await b.start();
  await swarm.advance(200_000); // past the 120 s TTL: re-announcements (every 90 s) kept it
  assert.equal(b.table.get(nodeIdOf(1))?.state, "alive");
  swarm.network.drop = (d) => d.from.address === addressOf(1);
  await swarm.advance(90_000);
  assert.equal(b.table.get(nodeIdOf(1))?.state, "alive");
  await swarm.advance(40_000); // last sign of life at ~183 s, TTL 120 s
  assert.equal(b.table.get(nodeIdOf(1))?.state, "dead");
  assert.deepEqual(swarm.events.get(2), ["join:1", "dead:1"]);
  await swarm.close();
});

Deno.test("DiscoveryService polls static peers and takes them in without multicast", async () => {
  const swarm = new TestSwarm();
  const up = new Map([["10.0.0.5:7890", true]]);
  const logger = memoryLogger();
  const polled: string[] = [];
  const a = swarm.add(1, {
    transport: null,
    logger,
    staticPeers: ["10.0.0.5:7890", "not a peer", "10.0.0.1:7890", "10.0.0.6:7890"],
    fetchIdentity: (hostPort) => {
      polled.push(hostPort);
      if (hostPort === "10.0.0.1:7890") return Promise.resolve({ nodeId: nodeIdOf(1) });
      if (!up.get(hostPort)) return Promise.resolve(null);
      return Promise.resolve({ nodeId: nodeIdOf(5), hostname: "pi", txt: { tier: "edge" } });
    },
  });
  await a.start();
  await swarm.settle();
  const peer = a.table.get(nodeIdOf(5))!;
  assert.equal(peer.state, "alive");
  assert.deepEqual(peer.addresses, ["10.0.0.5"]);
  assert.equal(peer.hostname, "pi");
  assert.equal(peer.port, 7890);
  assert.deepEqual(peer.txt, { tier: "edge", node_id: nodeIdOf(5), port: "7890" });
  assert.deepEqual(a.peers().map((p) => p.nodeId), [nodeIdOf(5)]);
  assert.ok(logger.lines.some((l) => l.startsWith("warn:") && l.includes("not a peer")));
  up.set("10.0.0.5:7890", false);
  await swarm.advance(6_000);
  assert.equal(a.table.get(nodeIdOf(5))?.state, "dead");
  assert.deepEqual(swarm.events.get(1), ["join:5", "suspect:5", "dead:5"]);
  assert.equal(polled.filter((p) => p === "10.0.0.1:7890").length, 1); // itself: polled once
  assert.equal(swarm.probes.get(nodeIdOf(5)), undefined); // polled, not probed twice
  up.set("10.0.0.5:7890", true);
  await swarm.advance(2_000);
  assert.equal(a.table.get(nodeIdOf(5))?.state, "alive");
  await swarm.close();
});

Deno.test("DiscoveryService start() and close() are idempotent and close() clears every timer", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1);
  const first = a.start();
  assert.equal(a.start(), first);
  await first;
  await swarm.advance(1_500);
  assert.ok(swarm.time.pending > 0);
  const closing = a.close();
  assert.equal(a.close(), closing);
  await closing;
  assert.equal(swarm.time.pending, 0);
  await assert.rejects(a.start(), /closed/);
  const goodbyes = swarm.network.sent.filter((d) => decode(d.bytes)!.answers[0]?.ttl === 0);
  assert.equal(goodbyes.length, 1);
});

Deno.test("DiscoveryService.start() fails on a bad token", async () => {
  const swarm = new TestSwarm();
  const a = swarm.add(1, { token: "short" });
  await assert.rejects(a.start(), /token/);
  await a.close();
  assert.equal(swarm.time.pending, 0);
  assert.equal(TOKEN.length, 64);
});

Deno.test("DiscoveryService fills a peer table it is given", async () => {
  const swarm = new TestSwarm();
  const table = new PeerTable({ selfId: nodeIdOf(1) });
  const a = swarm.add(1, { table });
  const b = swarm.add(2);
  await a.start();
  await b.start();
  await swarm.advance(200);
  assert.equal(a.table, table);
  assert.deepEqual(table.peers().map((p) => p.nodeId), [nodeIdOf(2)]);
  await swarm.close();
});
