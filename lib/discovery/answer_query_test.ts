import assert from "node:assert/strict";
import { advertisement, T0 } from "../../testing/discovery.ts";
import { answerFor, SERVICES_META_QUERY } from "./answer_query.ts";
import { decode, type DnsPacket, type DnsRecord, encode, type PtrRecord } from "./dns_codec.ts";
import { peerFromPacket } from "./parse_announcement.ts";
import { announcementPacket, queryPacket, recordsFor, SERVICE_TYPE } from "./service_records.ts";

const ad = advertisement();
const [PTR, SRV, TXT, A1, A2] = recordsFor(ad) as [
  PtrRecord,
  DnsRecord,
  DnsRecord,
  DnsRecord,
  DnsRecord,
];
const INSTANCE = "myco-0123456789ab._mycoswarm._tcp.local";

function ask(name: string, type: string, known: DnsRecord[] = []): DnsPacket {
  return {
    ...queryPacket({ knownAnswers: known }),
    questions: [{ name, type, unicastResponse: false }],
  };
}

Deno.test("answerFor() answers a browse with PTR, adding SRV, TXT and A (RFC 6763 §12.1)", () => {
  const response = answerFor(queryPacket(), ad);
  assert.deepEqual(response?.answers, [PTR]);
  assert.deepEqual(response?.additionals, [SRV, TXT, A1, A2]);
  assert.equal(response?.type, "response");
  assert.equal(response?.id, 0);
});

Deno.test("answerFor() stays quiet when the querier knows our PTR with at least half its TTL", () => {
  assert.equal(answerFor(queryPacket({ knownAnswers: [{ ...PTR, ttl: 2250 }] }), ad), null);
  assert.equal(answerFor(queryPacket({ knownAnswers: [{ ...PTR, ttl: 4500 }] }), ad), null);
  const stale = answerFor(queryPacket({ knownAnswers: [{ ...PTR, ttl: 2249 }] }), ad);
  assert.deepEqual(stale?.answers, [PTR]);
  const other = { ...PTR, data: "myco-ffffffffffff._mycoswarm._tcp.local" };
  assert.deepEqual(answerFor(queryPacket({ knownAnswers: [other] }), ad)?.answers, [PTR]);
});

Deno.test("answerFor() answers SRV, TXT and ANY for our instance", () => {
  const srv = answerFor(ask(INSTANCE, "SRV"), ad);
  assert.deepEqual(srv?.answers, [SRV]);
  assert.deepEqual(srv?.additionals, [A1, A2]);
  assert.deepEqual(answerFor(ask(INSTANCE, "TXT"), ad)?.answers, [TXT]);
  assert.deepEqual(answerFor(ask(INSTANCE, "TXT"), ad)?.additionals, []);
  assert.deepEqual(answerFor(ask(INSTANCE.toUpperCase(), "ANY"), ad)?.answers, [SRV, TXT]);
});

Deno.test("answerFor() answers A and ANY for our host name", () => {
  assert.deepEqual(answerFor(ask("gpu-box.local", "A"), ad)?.answers, [A1, A2]);
  assert.deepEqual(answerFor(ask("GPU-BOX.local.", "ANY"), ad)?.answers, [A1, A2]);
  assert.equal(answerFor(ask("gpu-box.local", "AAAA"), ad), null);
});

Deno.test("answerFor() lists our service type for the DNS-SD meta-query (RFC 6763 §9)", () => {
  const response = answerFor(ask(SERVICES_META_QUERY, "PTR"), ad);
  assert.deepEqual(response?.answers, [{ ...PTR, name: SERVICES_META_QUERY, data: SERVICE_TYPE }]);
});

Deno.test("answerFor() ignores other names, other services and responses", () => {
  assert.equal(answerFor(ask("_http._tcp.local", "PTR"), ad), null);
  assert.equal(answerFor(ask("other.local", "A"), ad), null);
  assert.equal(answerFor(ask("myco-ffffffffffff._mycoswarm._tcp.local", "SRV"), ad), null);
  assert.equal(answerFor(announcementPacket(ad), ad), null);
});

Deno.test("answerFor() answers several questions once each", () => {
  const query: DnsPacket = {
    ...queryPacket(),
    questions: [
      { name: SERVICE_TYPE, type: "PTR", unicastResponse: false },
      { name: INSTANCE, type: "SRV", unicastResponse: true },
      { name: SERVICE_TYPE, type: "PTR", unicastResponse: false },
    ],
  };
  const response = answerFor(query, ad);
  assert.deepEqual(response?.answers, [PTR, SRV]);
  assert.deepEqual(response?.additionals, [TXT, A1, A2]);
});

Deno.test("answerFor() over the wire: a peer's query gets an answer that parses to our node", () => {
  const query = decode(encode(queryPacket()));
  assert.ok(query !== null);
  const response = decode(encode(answerFor(query, ad)!));
  assert.ok(response !== null);
  const [peer] = peerFromPacket(response, { now: T0 });
  assert.deepEqual(
    { nodeId: peer?.nodeId, hostname: peer?.hostname, addresses: peer?.addresses },
    { nodeId: ad.nodeId, hostname: ad.hostname, addresses: ad.addresses },
  );
  assert.deepEqual({ port: peer?.port, txt: peer?.txt }, { port: ad.port, txt: ad.txt });
});
