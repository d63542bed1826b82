import assert from "node:assert/strict";
import { advertisement } from "../../testing/discovery.ts";
import { AUTHORITATIVE_ANSWER, encode, type PtrRecord } from "./dns_codec.ts";
import {
  announcementPacket,
  goodbyePacket,
  instanceName,
  MDNS_ADDRESS,
  MDNS_PORT,
  queryPacket,
  recordsFor,
  SERVICE_TYPE,
} from "./service_records.ts";
import { encodeTxtData } from "./txt_data.ts";

const INSTANCE = "myco-0123456789ab._mycoswarm._tcp.local";

Deno.test("service constants match RFC 6762 §3 and the design", () => {
  assert.equal(SERVICE_TYPE, "_mycoswarm._tcp.local");
  assert.equal(MDNS_ADDRESS, "224.0.0.251");
  assert.equal(MDNS_PORT, 5353);
  assert.equal(instanceName("myco-0123456789ab"), INSTANCE);
});

Deno.test("recordsFor() gives PTR, SRV, TXT and one A per address with RFC TTLs", () => {
  const ad = advertisement();
  assert.deepEqual(recordsFor(ad), [
    { type: "PTR", name: SERVICE_TYPE, ttl: 4500, flush: false, data: INSTANCE },
    {
      type: "SRV",
      name: INSTANCE,
      ttl: 120,
      flush: true,
      data: { target: "gpu-box.local", port: 7890, priority: 0, weight: 0 },
    },
    { type: "TXT", name: INSTANCE, ttl: 4500, flush: true, data: encodeTxtData(ad.txt) },
    { type: "A", name: "gpu-box.local", ttl: 120, flush: true, data: "10.0.0.2" },
    { type: "A", name: "gpu-box.local", ttl: 120, flush: true, data: "192.168.1.20" },
  ]);
});

Deno.test("recordsFor() applies one TTL to every record when asked", () => {
  assert.deepEqual(recordsFor(advertisement(), { ttl: 7 }).map((r) => r.ttl), [7, 7, 7, 7, 7]);
});

Deno.test("announcementPacket() is a response with id 0, AA set, all records as answers", () => {
  const packet = announcementPacket(advertisement());
  assert.equal(packet.type, "response");
  assert.equal(packet.id, 0);
  assert.equal(packet.flags, AUTHORITATIVE_ANSWER);
  assert.deepEqual(packet.questions, []);
  assert.deepEqual(packet.answers, recordsFor(advertisement()));
  assert.deepEqual(packet.additionals, []);
});

Deno.test("goodbyePacket() withdraws PTR, SRV and TXT with TTL 0, leaving host records", () => {
  const packet = goodbyePacket(advertisement());
  assert.deepEqual(packet.answers.map((r) => [r.type, r.ttl]), [["PTR", 0], ["SRV", 0], [
    "TXT",
    0,
  ]]);
});

Deno.test("queryPacket() asks one PTR question for the service, QU bit off", () => {
  const bytes = encode(queryPacket());
  const name = [10, ..."_mycoswarm".split("").map((c) => c.charCodeAt(0))];
  const rest = [4, 95, 116, 99, 112, 5, 108, 111, 99, 97, 108, 0];
  assert.deepEqual([...bytes], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...name, ...rest, 0, 12, 0, 1]);
});

Deno.test("queryPacket() lists known answers without the cache-flush bit (RFC 6762 §10.2)", () => {
  const known: PtrRecord = { type: "PTR", name: SERVICE_TYPE, ttl: 4000, flush: true, data: "x" };
  assert.deepEqual(queryPacket({ knownAnswers: [known] }).answers, [{ ...known, flush: false }]);
});
