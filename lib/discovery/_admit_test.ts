import assert from "node:assert/strict";
import { admit, type AdmitContext, hostLabel } from "./_admit.ts";
import { T0, TOKEN } from "../../testing/discovery.ts";
import type { Announcement } from "./parse_announcement.ts";
import { goodbyePacket, responsePacket } from "./service_records.ts";
import { signTxt } from "./txt_signature.ts";

const ID = "myco-0123456789ab";
const FIELDS = { node_id: ID, tier: "light", version: "0.1.0", port: "7890", addr: "10.0.0.5" };

async function announcement(overrides: Partial<Announcement> = {}): Promise<Announcement> {
  return {
    instance: `${ID}._mycoswarm._tcp.local`,
    nodeId: ID,
    hostname: "pi",
    addresses: [],
    port: 7890,
    txt: await signTxt({ ...FIELDS, ts: String(T0 / 1000) }, TOKEN),
    ttl: 120,
    expiresAt: T0 + 120_000,
    goodbye: false,
    ...overrides,
  };
}

function context(overrides: Partial<AdmitContext> = {}): AdmitContext {
  return {
    packet: responsePacket([]),
    from: { address: "10.0.0.9", port: 5353 },
    known: undefined,
    token: TOKEN,
    now: T0,
    maxAgeSeconds: 300,
    ...overrides,
  };
}

Deno.test("admit() takes addresses only from the signed addr field, never the packet's source", async () => {
  const result = await admit(await announcement(), context());
  assert.ok(result !== null && "take" in result);
  assert.deepEqual(result.take.addresses, ["10.0.0.5"], "not the source 10.0.0.9");
  const withA = await admit(await announcement({ addresses: ["10.0.0.5"] }), context());
  assert.ok(withA !== null && "take" in withA);
  assert.deepEqual(withA.take.addresses, ["10.0.0.5"]);
});

Deno.test("admit() rejects a replayed announcement whose A record was changed", async () => {
  // The attack: a captured, validly signed announcement re-sent with the attacker's address.
  const hijacked = await announcement({ addresses: ["10.0.0.66"] });
  assert.deepEqual(await admit(hijacked, context()), { reject: "bad_signature" });
  const { addr: _addr, ...noAddr } = FIELDS;
  const unsignedAddress = await announcement({
    txt: await signTxt({ ...noAddr, ts: String(T0 / 1000) }, TOKEN),
  });
  assert.deepEqual(await admit(unsignedAddress, context()), { reject: "malformed" });
});

Deno.test("admit() rejects unsigned, badly signed and stale announcements", async () => {
  const unsigned = await announcement({ txt: { ...FIELDS, ts: String(T0 / 1000) } });
  assert.deepEqual(await admit(unsigned, context()), { reject: "missing_signature" });
  const other = "f".repeat(64);
  assert.deepEqual(await admit(await announcement(), context({ token: other })), {
    reject: "bad_signature",
  });
  assert.deepEqual(await admit(await announcement(), context({ now: T0 + 301_000 })), {
    reject: "stale",
  });
});

Deno.test("admit() takes a goodbye only with the peer's signed TXT, and only for a known peer", async () => {
  const ts = String(T0 / 1000);
  const goodbyeTxt = await signTxt({ ...FIELDS, ts, boot: "b1", bye: "1" }, TOKEN);
  const signed = await announcement();
  const ad = { nodeId: ID, hostname: "pi", addresses: [], port: 7890 };
  const bye = { ...signed, goodbye: true, txt: {} };
  const known = { state: "alive", txt: { boot: "b1" } } as unknown as AdmitContext["known"];
  const good = context({ known, packet: goodbyePacket({ ...ad, txt: goodbyeTxt }) });
  assert.deepEqual(await admit(bye, good), { take: bye });
  const bare = context({ known, packet: goodbyePacket({ ...ad, txt: FIELDS }) });
  assert.deepEqual(await admit(bye, bare), { reject: "missing_signature" });
  assert.equal(await admit(bye, { ...good, known: undefined }), null);
  assert.equal(
    await admit(bye, { ...good, known: { state: "left" } as AdmitContext["known"] }),
    null,
  );
});

Deno.test("admit() refuses a replay: a signed TXT without bye=1, or a goodbye of another boot", async () => {
  const ts = String(T0 / 1000);
  const ad = { nodeId: ID, hostname: "pi", addresses: [], port: 7890 };
  const bye = { ...(await announcement()), goodbye: true, txt: {} };
  const known = { state: "alive", txt: { boot: "b2" } } as unknown as AdmitContext["known"];
  const sent = async (fields: Record<string, string>) =>
    await admit(
      bye,
      context({ known, packet: goodbyePacket({ ...ad, txt: await signTxt(fields, TOKEN) }) }),
    );
  // A captured announcement of the current boot, sent with TTL 0.
  assert.deepEqual(await sent({ ...FIELDS, ts, boot: "b2" }), { reject: "replay" });
  // The real goodbye of the run before: that boot is over, this one is not.
  assert.deepEqual(await sent({ ...FIELDS, ts, boot: "b1", bye: "1" }), { reject: "replay" });
  // A peer known without a boot (a static peer, an older version): its leave is left to checks.
  const noBoot = { state: "alive", txt: {} } as unknown as AdmitContext["known"];
  const packet = goodbyePacket({
    ...ad,
    txt: await signTxt({ ...FIELDS, ts, boot: "b2", bye: "1" }, TOKEN),
  });
  assert.deepEqual(await admit(bye, context({ known: noBoot, packet })), { reject: "replay" });
  assert.deepEqual(await sent({ ...FIELDS, ts, boot: "b2", bye: "1" }), { take: bye });
});

Deno.test("hostLabel() makes a DNS-safe label, or falls back", () => {
  assert.equal(hostLabel("My_PC.lan", ID), "my-pc");
  assert.equal(hostLabel("gpu-box", ID), "gpu-box");
  assert.equal(hostLabel("___", ID), ID);
  assert.equal(hostLabel("a".repeat(80), ID).length, 63);
});
