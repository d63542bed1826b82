import assert from "node:assert/strict";
import { advertisement, T0 } from "../../testing/discovery.ts";
import { decode, type DnsPacket, type DnsRecord, encode, type SrvRecord } from "./dns_codec.ts";
import { peerFromPacket } from "./parse_announcement.ts";
import {
  type Advertisement,
  announcementPacket,
  goodbyePacket,
  recordsFor,
  responsePacket,
} from "./service_records.ts";

const ad = advertisement();
const INSTANCE = "myco-0123456789ab._mycoswarm._tcp.local";

function backToAdvertisement(packet: DnsPacket): Advertisement[] {
  return peerFromPacket(packet, { now: T0 }).map((p) => ({
    nodeId: p.nodeId,
    hostname: p.hostname,
    addresses: p.addresses,
    port: p.port,
    txt: p.txt,
  }));
}

/** The announcement with one record replaced. */
function withRecord(index: number, change: (r: DnsRecord) => DnsRecord): DnsPacket {
  return responsePacket(recordsFor(ad).map((r, i) => (i === index ? change(r) : r)));
}

Deno.test("peerFromPacket() round trip: recordsFor → encode → decode gives the advertisement", () => {
  const packet = decode(encode(announcementPacket(ad)));
  assert.ok(packet !== null);
  assert.deepEqual(backToAdvertisement(packet), [ad]);
  const [peer] = peerFromPacket(packet, { now: T0 });
  assert.equal(peer?.instance, INSTANCE);
  assert.equal(peer?.ttl, 120);
  assert.equal(peer?.expiresAt, T0 + 120_000);
  assert.equal(peer?.goodbye, false);
});

Deno.test("peerFromPacket() gathers records from answers and additionals", () => {
  const [ptr, ...rest] = recordsFor(ad);
  assert.deepEqual(backToAdvertisement(responsePacket([ptr!], rest)), [ad]);
  // an SRV answer with TXT and A, as after an SRV query: no PTR needed
  assert.deepEqual(backToAdvertisement(responsePacket(rest)), [ad]);
});

Deno.test("peerFromPacket() reads several nodes from one packet", () => {
  const other = advertisement({
    nodeId: "myco-ffffffffffff",
    hostname: "pi",
    addresses: ["10.0.0.9"],
    txt: { node_id: "myco-ffffffffffff" },
  });
  const packet = responsePacket([...recordsFor(ad), ...recordsFor(other)]);
  assert.deepEqual(backToAdvertisement(packet), [ad, other]);
});

Deno.test("peerFromPacket() reports a goodbye", () => {
  const peers = peerFromPacket(goodbyePacket(ad), { now: T0 });
  assert.deepEqual(peers.map((p) => [p.nodeId, p.goodbye, p.ttl]), [[ad.nodeId, true, 0]]);
  // a lone PTR with TTL 0 is a goodbye too
  const lone = peerFromPacket(responsePacket(recordsFor(ad, { ttl: 0 }).slice(0, 1)), { now: T0 });
  assert.deepEqual(lone.map((p) => p.goodbye), [true]);
});

Deno.test("peerFromPacket() ignores other services, queries and incomplete instances", () => {
  const http = recordsFor(ad).map((r) => ({
    ...r,
    name: r.name.replace("_mycoswarm", "_http"),
    ...(r.type === "PTR" ? { data: r.data.replace("_mycoswarm", "_http") } : {}),
  })) as DnsRecord[];
  assert.deepEqual(peerFromPacket(responsePacket(http), { now: T0 }), []);
  assert.deepEqual(peerFromPacket({ ...announcementPacket(ad), type: "query" }, { now: T0 }), []);
  const noTxt = recordsFor(ad).filter((r) => r.type !== "TXT");
  assert.deepEqual(peerFromPacket(responsePacket(noTxt), { now: T0 }), []);
  const noSrv = recordsFor(ad).filter((r) => r.type !== "SRV");
  assert.deepEqual(peerFromPacket(responsePacket(noSrv), { now: T0 }), []);
});

Deno.test("peerFromPacket() keeps an announcement without A records, addresses empty", () => {
  const packet = responsePacket(recordsFor({ ...ad, addresses: [] }));
  assert.deepEqual(backToAdvertisement(packet), [{ ...ad, addresses: [] }]);
});

Deno.test("peerFromPacket() drops a node id that is not myco-<12 hex>", () => {
  for (
    const nodeId of ["myco-0123456789AB", "myco-0123", "node-0123456789ab", "x.myco-0123456789ab"]
  ) {
    const bad = advertisement({ nodeId, txt: {} });
    assert.deepEqual(peerFromPacket(announcementPacket(bad), { now: T0 }), [], nodeId);
  }
});

Deno.test("peerFromPacket() drops a port out of range and a bad host name", () => {
  const srv = (data: Partial<SrvRecord["data"]>) =>
    withRecord(1, (r) => ({ ...r, data: { ...(r as SrvRecord).data, ...data } }) as DnsRecord);
  assert.deepEqual(peerFromPacket(srv({ port: 0 }), { now: T0 }), []);
  assert.deepEqual(peerFromPacket(srv({ port: 65536 }), { now: T0 }), []);
  assert.deepEqual(peerFromPacket(srv({ port: 1.5 }), { now: T0 }), []);
  assert.deepEqual(peerFromPacket(srv({ target: "gpu-box.example.com" }), { now: T0 }), []);
  assert.deepEqual(peerFromPacket(srv({ target: "-bad-.local" }), { now: T0 }), []);
  const top = advertisement({ port: 65535, txt: { port: "65535" } });
  assert.equal(peerFromPacket(announcementPacket(top), { now: T0 })[0]?.port, 65535);
});

Deno.test("peerFromPacket() drops a huge, untyped, duplicated or ill-keyed TXT", () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const txt = (...strings: Uint8Array[]) =>
    peerFromPacket(withRecord(2, (r) => ({ ...r, data: strings }) as DnsRecord), { now: T0 });
  assert.deepEqual(
    txt(...Array.from({ length: 6 }, (_, i) => enc(`k${i}=${"x".repeat(250)}`))),
    [],
  );
  assert.deepEqual(txt(enc("flag")), []);
  assert.deepEqual(txt(enc("tier=a"), enc("tier=b")), []);
  assert.deepEqual(txt(enc("TIER=a")), []);
  assert.deepEqual(txt(enc("node_id=myco-ffffffffffff")), []);
  assert.deepEqual(txt(enc("port=7891")), [], "TXT port must match SRV port");
  assert.deepEqual(txt(enc("tier=light")).map((p) => p.txt), [{ tier: "light" }]);
});

Deno.test("peerFromPacket() keeps only valid, distinct IPv4 addresses of the SRV target", () => {
  const extra: DnsRecord[] = [
    { type: "A", name: "gpu-box.local", ttl: 120, flush: true, data: "10.0.0.2" },
    { type: "A", name: "gpu-box.local", ttl: 120, flush: true, data: "999.1.1.1" },
    { type: "A", name: "other.local", ttl: 120, flush: true, data: "10.9.9.9" },
  ];
  const packet = responsePacket(recordsFor(ad), extra);
  assert.deepEqual(peerFromPacket(packet, { now: T0 })[0]?.addresses, ad.addresses);
});
