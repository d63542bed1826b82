/**
 * Bounded fuzzing of everything a datagram from the LAN reaches: decode,
 * peerFromPacket, verifyTxt and the peer table. Seeded, so failures repeat.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../core/mod.ts";
import { advertisement, NODE, T0, TOKEN } from "../../testing/discovery.ts";
import { decode, encode } from "./dns_codec.ts";
import { MAX_INSTANCES_PER_PACKET, peerFromPacket } from "./parse_announcement.ts";
import { PeerTable } from "./peer_table.ts";
import { announcementPacket, recordsFor, responsePacket } from "./service_records.ts";
import { buildTxt } from "./txt_record.ts";
import { signTxt, verifyTxt } from "./txt_signature.ts";

const COUNT = 5_000;

function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

/** One random change: bit flips, a truncation, an extension, an overwrite or a repeat. */
function mutate(random: () => number, original: Uint8Array): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const bytes = new Uint8Array(original);
  switch (pick(5)) {
    case 0:
      for (let i = 0, n = 1 + pick(8); i < n; i++) bytes[pick(bytes.length)]! ^= 1 << pick(8);
      return bytes;
    case 1:
      return bytes.subarray(0, pick(bytes.length));
    case 2:
      return new Uint8Array([...bytes, ...randomBytes(random, 1 + pick(64))]);
    case 3: {
      const at = pick(bytes.length);
      bytes.set(randomBytes(random, Math.min(1 + pick(16), bytes.length - at)), at);
      return bytes;
    }
    default: {
      const at = pick(bytes.length);
      const slice = bytes.subarray(at, at + 1 + pick(32));
      return new Uint8Array([...bytes.subarray(0, at), ...slice, ...bytes.subarray(at)]);
    }
  }
}

Deno.test(`fuzz: ${COUNT} random byte strings never throw and leave nothing behind`, () => {
  const random = seededRandom(0x5eed);
  const table = new PeerTable();
  let decoded = 0;
  let entries = 0;
  for (let i = 0; i < COUNT; i++) {
    const bytes = randomBytes(random, Math.floor(random() * 600));
    // Half get a plausible response header (id 0, QR+AA, 0–1 records per section)
    // so the fuzzing reaches the record parsers, not only the header check.
    if (i % 2 === 0 && bytes.length >= 12) {
      bytes.set([0, 0, 0x84, 0, 0, 0, 0, bytes[7]! & 1, 0, 0, 0, bytes[11]! & 1]);
    }
    const packet = decode(bytes);
    if (packet === null) continue;
    decoded++;
    for (const peer of peerFromPacket(packet, { now: T0 })) {
      entries++;
      table.observe(peer, T0);
    }
  }
  assert.ok(decoded > 100, `only ${decoded} random strings decoded`);
  assert.equal(entries, 0);
  assert.deepEqual(table.peers(), []);
});

Deno.test(`fuzz: ${COUNT} mutations of a signed announcement never throw; only the real node gets in`, async () => {
  const random = seededRandom(0xc0ffee);
  const txt = await signTxt(buildTxt(NODE, { now: T0 }), TOKEN);
  const original = encode(announcementPacket(advertisement({ txt })));
  const table = new PeerTable();
  let parsed = 0;
  let accepted = 0;
  for (let i = 0; i < COUNT; i++) {
    const packet = decode(mutate(random, original));
    if (packet === null) continue;
    const peers = peerFromPacket(packet, { now: T0 });
    assert.ok(peers.length <= MAX_INSTANCES_PER_PACKET);
    for (const peer of peers) {
      parsed++;
      const verdict = await verifyTxt(peer.txt, TOKEN, { now: T0 });
      if (!verdict.ok) {
        table.recordRejected(verdict.reason);
        continue;
      }
      accepted++;
      assert.equal(peer.nodeId, NODE.nodeId);
      table.observe(peer, T0);
    }
  }
  assert.ok(parsed > 1_000 && accepted > 500, `parsed ${parsed}, accepted ${accepted}`);
  assert.ok(table.peers().length <= 1);
  const rejected = Object.values(table.rejected()).reduce((a, b) => a + b, 0);
  assert.equal(rejected + accepted, parsed);
});

Deno.test("fuzz: a packet stuffed with instances yields at most MAX_INSTANCES_PER_PACKET", () => {
  // SRV and TXT only: dns-packet does not compress names, and 9000 bytes is the limit.
  const records = Array.from({ length: 50 }, (_, i) => {
    const nodeId = `myco-${i.toString(16).padStart(12, "0")}`;
    return recordsFor(advertisement({ nodeId, addresses: [], txt: {} })).slice(1);
  }).flat();
  const bytes = encode(responsePacket(records));
  assert.ok(bytes.length <= 9000, `${bytes.length}`);
  const packet = decode(bytes);
  assert.ok(packet !== null);
  assert.equal(peerFromPacket(packet, { now: T0 }).length, MAX_INSTANCES_PER_PACKET);
});

Deno.test("fuzz: a header claiming 65535 records of each kind decodes to null at once", () => {
  const header = [0, 0, 0x84, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  assert.equal(decode(new Uint8Array([...header, 0, 0, 1, 0, 1])), null);
});
