import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { isMycoError } from "../core/mod.ts";
import { NODE, T0, TOKEN } from "../../testing/discovery.ts";
import { buildTxt } from "./txt_record.ts";
import { canonicalTxt, signTxt, timingSafeEqual, verifyTxt } from "./txt_signature.ts";

const now = T0 + 10_000;

async function signed(at = T0): Promise<Record<string, string>> {
  return await signTxt(buildTxt(NODE, { now: at }), TOKEN);
}

Deno.test("canonicalTxt() sorts key=value lines and leaves out sig", () => {
  assert.equal(
    canonicalTxt({ tier: "x", sig: "s", caps: "a,b", ts: "1" }),
    "caps=a,b\ntier=x\nts=1",
  );
  assert.equal(canonicalTxt({ gpu: "a\nb" }), null);
});

Deno.test("signTxt() adds an HMAC-SHA256 of the canonical text, keyed by the token's bytes", async () => {
  const fields = buildTxt(NODE, { now: T0 });
  const txt = await signTxt(fields, TOKEN);
  const expected = createHmac("sha256", Buffer.from(TOKEN, "hex")).update(canonicalTxt(fields)!)
    .digest("hex");
  assert.equal(txt.sig, expected);
  assert.match(txt.sig!, /^[0-9a-f]{64}$/);
  assert.deepEqual(Object.keys(txt).at(-1), "sig");
  assert.deepEqual(await signTxt(txt, TOKEN), txt, "re-signing replaces the old sig");
});

Deno.test("verifyTxt() accepts a fresh, correctly signed record and reads it", async () => {
  const result = await verifyTxt(await signed(), TOKEN, { now });
  assert.deepEqual(result, { ok: true, fields: { ...NODE, modelsMore: 0, ts: 1_700_000_000 } });
  assert.equal((await verifyTxt(await signed(), TOKEN.toUpperCase(), { now })).ok, true);
});

Deno.test("verifyTxt() says bad_signature for a tampered field, a wrong token or a bad sig", async () => {
  const txt = await signed();
  const bad = { ok: false, reason: "bad_signature" };
  assert.deepEqual(await verifyTxt({ ...txt, tier: "light" }, TOKEN, { now }), bad);
  assert.deepEqual(await verifyTxt({ ...txt, extra: "1" }, TOKEN, { now }), bad);
  assert.deepEqual(await verifyTxt(txt, "f".repeat(64), { now }), bad);
  assert.deepEqual(await verifyTxt({ ...txt, sig: txt.sig!.toUpperCase() }, TOKEN, { now }), bad);
  assert.deepEqual(await verifyTxt({ ...txt, sig: "00" }, TOKEN, { now }), bad);
});

Deno.test("verifyTxt() says stale for a timestamp too old or too far ahead", async () => {
  const stale = { ok: false, reason: "stale" };
  assert.deepEqual(await verifyTxt(await signed(T0 - 301_000), TOKEN, { now: T0 }), stale);
  assert.deepEqual(await verifyTxt(await signed(T0 + 301_000), TOKEN, { now: T0 }), stale);
  assert.equal((await verifyTxt(await signed(T0 - 300_000), TOKEN, { now: T0 })).ok, true);
  const tight = await verifyTxt(await signed(T0 - 61_000), TOKEN, { now: T0, maxAgeSeconds: 60 });
  assert.deepEqual(tight, stale);
});

Deno.test("verifyTxt() says missing_signature without sig", async () => {
  const { sig: _sig, ...unsigned } = await signed();
  const missing = { ok: false, reason: "missing_signature" };
  assert.deepEqual(await verifyTxt(unsigned, TOKEN, { now }), missing);
  assert.deepEqual(await verifyTxt({ ...unsigned, sig: "" }, TOKEN, { now }), missing);
});

Deno.test("verifyTxt() says malformed for signed but unreadable fields", async () => {
  const { port: _port, ...noPort } = buildTxt(NODE, { now: T0 });
  const malformed = { ok: false, reason: "malformed" };
  assert.deepEqual(await verifyTxt(await signTxt(noPort, TOKEN), TOKEN, { now }), malformed);
  const withNewline = { ...(await signed()), gpu: "a\nb" };
  assert.deepEqual(await verifyTxt(withNewline, TOKEN, { now }), malformed);
});

Deno.test("signTxt() and verifyTxt() refuse a token that is not 64 hex digits", async () => {
  const isConfig = (e: unknown) => isMycoError(e, "config_invalid");
  await assert.rejects(signTxt({ a: "1" }, "abc"), isConfig);
  await assert.rejects(verifyTxt({ sig: "00" }, "g".repeat(64), { now }), isConfig);
  await assert.rejects(signTxt({ a: "\u0000" }, TOKEN), (e) => isMycoError(e, "invalid_input"));
});

Deno.test("timingSafeEqual() compares bytes", () => {
  const a = new Uint8Array([1, 2, 3]);
  assert.ok(timingSafeEqual(a, new Uint8Array([1, 2, 3])));
  assert.ok(!timingSafeEqual(a, new Uint8Array([1, 2, 4])));
  assert.ok(!timingSafeEqual(a, new Uint8Array([1, 2])));
});
