import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import {
  decode,
  type DnsPacket,
  type DnsRecord,
  encode,
  MAX_PACKET_BYTES,
  type PtrRecord,
  sameName,
  sameRecord,
  type SrvRecord,
  type TxtRecord,
} from "./dns_codec.ts";
import { responsePacket as response } from "./service_records.ts";

const records: DnsRecord[] = [
  { type: "PTR", name: "_x._tcp.local", ttl: 4500, flush: false, data: "a._x._tcp.local" },
  {
    type: "SRV",
    name: "a._x._tcp.local",
    ttl: 120,
    flush: true,
    data: { target: "h.local", port: 7890, priority: 0, weight: 0 },
  },
  {
    type: "TXT",
    name: "a._x._tcp.local",
    ttl: 4500,
    flush: true,
    data: [new TextEncoder().encode("k=v")],
  },
  { type: "A", name: "h.local", ttl: 120, flush: true, data: "10.1.2.3" },
];

Deno.test("encode() then decode() gives the packet back", () => {
  const packet = response(records);
  assert.deepEqual(decode(encode(packet)), packet);
});

Deno.test("encode() writes the cache-flush bit as the top bit of the class", () => {
  const a: DnsRecord = { type: "A", name: "h.local", ttl: 120, flush: true, data: "10.1.2.3" };
  const bytes = encode(response([a]));
  // header 12, name "h.local" 9, type 2 → class at 23
  assert.deepEqual([...bytes.subarray(21, 25)], [0x00, 0x01, 0x80, 0x01]);
  assert.deepEqual([...bytes.subarray(25, 29)], [0, 0, 0, 120]);
  assert.deepEqual([...bytes.subarray(-4)], [10, 1, 2, 3]);
  assert.equal(bytes.length, 35);
  assert.ok(!("copy" in bytes), "a plain Uint8Array, not a Buffer");
});

Deno.test("encode() and decode() carry the QU bit of a question", () => {
  const query: DnsPacket = {
    ...response([]),
    type: "query",
    flags: 0,
    questions: [
      { name: "a.local", type: "A", unicastResponse: false },
      { name: "b.local", type: "ANY", unicastResponse: true },
    ],
  };
  const bytes = encode(query);
  // each question: name (9 bytes), type (2), class (2); the class follows the type
  assert.deepEqual([...bytes.subarray(21, 25)], [0x00, 0x01, 0x00, 0x01]);
  assert.deepEqual([...bytes.subarray(34, 38)], [0x00, 0xff, 0x80, 0x01]);
  assert.deepEqual(decode(bytes)?.questions, query.questions);
});

Deno.test("decode() returns null for short, long and malformed input", () => {
  assert.equal(decode(new Uint8Array(0)), null);
  assert.equal(decode(new Uint8Array(11)), null);
  assert.equal(decode(new Uint8Array(MAX_PACKET_BYTES + 1)), null);
  const bytes = encode(response(records));
  assert.equal(decode(bytes.subarray(0, bytes.length - 3)), null);
  // a header claiming one question, and nothing after it
  assert.equal(decode(new Uint8Array([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])), null);
});

Deno.test("decode() drops record types and classes discovery does not use", () => {
  // one answer: AAAA for "h.local", then an A record with class CH
  const aaaa = [
    1,
    0x68,
    5,
    ...new TextEncoder().encode("local"),
    0,
    0,
    28,
    0,
    1,
    0,
    0,
    0,
    120,
    0,
    16,
  ];
  const chA = [0xc0, 12, 0, 1, 0, 3, 0, 0, 0, 120, 0, 4, 1, 2, 3, 4];
  const header = [0, 0, 0x84, 0, 0, 0, 0, 2, 0, 0, 0, 0];
  const bytes = new Uint8Array([...header, ...aaaa, ...new Array(16).fill(0), ...chA]);
  assert.deepEqual(decode(bytes)?.answers, []);
});

Deno.test("decode() reads a packet inside a larger buffer", () => {
  const bytes = encode(response(records));
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes, 4);
  assert.deepEqual(decode(padded.subarray(4, 4 + bytes.length)), response(records));
});

Deno.test("encode() refuses a TXT string over 255 bytes instead of corrupting it", () => {
  const txt: DnsRecord = {
    type: "TXT",
    name: "a.local",
    ttl: 1,
    flush: false,
    data: [new Uint8Array(256)],
  };
  assert.throws(() => encode(response([txt])), (e) => isMycoError(e, "internal"));
});

Deno.test("sameName() ignores case and a trailing dot", () => {
  assert.ok(sameName("Gpu-Box.LOCAL.", "gpu-box.local"));
  assert.ok(!sameName("gpu-box.local", "gpu-box2.local"));
});

Deno.test("sameRecord() compares name, type and data but not TTL", () => {
  const [ptr, srv, txt, a] = records as [PtrRecord, SrvRecord, TxtRecord, DnsRecord];
  assert.ok(sameRecord(ptr, { ...ptr, ttl: 1, data: "A._X._tcp.local" }));
  assert.ok(!sameRecord(ptr, { ...ptr, data: "b._x._tcp.local" }));
  assert.ok(sameRecord(srv, structuredClone(srv)));
  assert.ok(!sameRecord(srv, { ...srv, data: { ...srv.data, port: 1 } }));
  assert.ok(sameRecord(txt, { ...txt, data: [new TextEncoder().encode("k=v")] }));
  assert.ok(!sameRecord(txt, { ...txt, data: [new TextEncoder().encode("k=w")] }));
  assert.ok(!sameRecord(a, ptr));
});
