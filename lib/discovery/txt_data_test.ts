import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { decodeTxtData, encodeTxtData, MAX_TXT_BYTES, txtByteLength } from "./txt_data.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("encodeTxtData() writes key=value strings in insertion order", () => {
  const strings = encodeTxtData({ tier: "light", caps: "cpu_worker,web", empty: "" });
  assert.deepEqual(strings.map(dec), ["tier=light", "caps=cpu_worker,web", "empty="]);
});

Deno.test("encodeTxtData() writes an empty record as one empty string (RFC 6763 §6.1)", () => {
  assert.deepEqual(encodeTxtData({}), [new Uint8Array(0)]);
  assert.equal(txtByteLength({}), 1);
});

Deno.test("encodeTxtData() refuses bad keys, long strings and large records", () => {
  const refuses = (txt: Record<string, string>) =>
    assert.throws(() => encodeTxtData(txt), (e) => isMycoError(e, "invalid_input"));
  refuses({ Tier: "x" });
  refuses({ "a=b": "x" });
  refuses({ "": "x" });
  refuses({ gpu: "x".repeat(252) });
  const big: Record<string, string> = {};
  for (let i = 0; i < 6; i++) big[`k${i}`] = "x".repeat(240);
  refuses(big);
  assert.equal(encodeTxtData({ gpu: "x".repeat(251) })[0]!.length, 255);
});

Deno.test("txtByteLength() counts a length byte per string", () => {
  assert.equal(txtByteLength({ a: "1", bb: "22" }), 4 + 6);
  assert.equal(txtByteLength({ gpu: "é" }), 7);
});

Deno.test("decodeTxtData() reads what encodeTxtData() wrote", () => {
  const txt = { node_id: "myco-0123456789ab", models: "a:1b,b=2", gpu: "Radeon™" };
  assert.deepEqual(decodeTxtData(encodeTxtData(txt)), txt);
  assert.deepEqual(decodeTxtData([new Uint8Array(0)]), {});
  assert.deepEqual(decodeTxtData([]), {});
});

Deno.test("decodeTxtData() rejects a record over 1300 bytes", () => {
  const strings = Array.from({ length: 6 }, (_, i) => enc(`k${i}=${"x".repeat(250)}`));
  assert.ok(strings.reduce((n, s) => n + 1 + s.length, 0) > MAX_TXT_BYTES);
  assert.equal(decodeTxtData(strings), null);
  assert.deepEqual(Object.keys(decodeTxtData(strings.slice(0, 5)) ?? {}).length, 5);
});

Deno.test("decodeTxtData() rejects fields without a string value", () => {
  assert.equal(decodeTxtData([enc("tier=light"), enc("flag")]), null);
});

Deno.test("decodeTxtData() rejects bad and repeated keys", () => {
  assert.equal(decodeTxtData([enc("Tier=light")]), null);
  assert.equal(decodeTxtData([enc("ti er=light")]), null);
  assert.equal(decodeTxtData([enc("=light")]), null);
  assert.equal(decodeTxtData([enc("tier=light"), enc("tier=worker")]), null);
});

Deno.test("decodeTxtData() rejects invalid UTF-8 and strings over 255 bytes", () => {
  assert.equal(decodeTxtData([new Uint8Array([0x67, 0x70, 0x75, 0x3d, 0xff, 0xfe])]), null);
  assert.equal(decodeTxtData([enc(`gpu=${"x".repeat(252)}`)]), null);
});

Deno.test("decodeTxtData() keeps __proto__ as a plain own key", () => {
  const txt = decodeTxtData([enc("__proto__=x")]);
  assert.deepEqual(Object.keys(txt ?? {}), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(txt), Object.prototype);
});
