import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { NODE, T0 } from "../../testing/discovery.ts";
import { decodeTxtData, encodeTxtData, MAX_TXT_BYTES, txtByteLength } from "./txt_data.ts";
import { buildTxt, readTxt, SIG_RESERVE_BYTES } from "./txt_record.ts";

const MODELS = Array.from({ length: 100 }, (_, i) => `model-${String(i).padStart(2, "0")}:7b`);

Deno.test("buildTxt() writes every field, ts in unix seconds", () => {
  assert.deepEqual(buildTxt(NODE, { now: T0 + 999 }), {
    node_id: "myco-0123456789ab",
    tier: "executive",
    gpu_tier: "high",
    caps: "gpu_inference,cpu_worker",
    gpu: "NVIDIA GeForce RTX 3090",
    vram: "24576",
    models: "llama3.1:8b,nomic-embed-text:latest",
    version: "0.1.0",
    port: "7890",
    ts: "1700000000",
  });
});

Deno.test("buildTxt() drops whole model names past 255 bytes and says how many", () => {
  const txt = buildTxt({ ...NODE, models: MODELS }, { now: T0 });
  assert.equal(txt.models, MODELS.slice(0, 20).join(","));
  assert.equal(txt.models_more, "80");
  assert.equal(`models=${txt.models}`.length, 246);
  assert.ok(txtByteLength(txt) + SIG_RESERVE_BYTES <= MAX_TXT_BYTES);
});

Deno.test("buildTxt() keeps the record within 1300 bytes even with absurd values", () => {
  const txt = buildTxt({
    ...NODE,
    tier: "t".repeat(500),
    gpuTier: "g".repeat(500),
    gpu: "é".repeat(500),
    version: "v".repeat(5000),
    caps: Array.from({ length: 100 }, (_, i) => `capability_${i}`),
    models: MODELS,
  }, { now: T0 });
  assert.equal(txt.tier?.length, 64);
  assert.equal(txt.gpu, "é".repeat(64));
  assert.equal(txt.caps?.split(",").length, 18);
  assert.ok(txtByteLength(txt) + SIG_RESERVE_BYTES <= MAX_TXT_BYTES);
  for (const s of encodeTxtData(txt)) assert.ok(s.length <= 255);
});

Deno.test("buildTxt() stops the model list at a name with a comma", () => {
  const txt = buildTxt({ ...NODE, models: ["a", "b,c", "d"] }, { now: T0 });
  assert.equal(txt.models, "a");
  assert.equal(txt.models_more, "2");
});

Deno.test("buildTxt() refuses a bad node id or port", () => {
  const refuses = (input: typeof NODE) =>
    assert.throws(() => buildTxt(input, { now: T0 }), (e) => isMycoError(e, "invalid_input"));
  refuses({ ...NODE, nodeId: "gpu-box" });
  refuses({ ...NODE, apiPort: 0 });
  refuses({ ...NODE, apiPort: 70000 });
});

Deno.test("readTxt() reads back what buildTxt() wrote, through the wire form", () => {
  const txt = decodeTxtData(encodeTxtData(buildTxt({ ...NODE, models: MODELS }, { now: T0 })));
  assert.ok(txt !== null);
  assert.deepEqual(readTxt(txt), {
    ...NODE,
    models: MODELS.slice(0, 20),
    modelsMore: 80,
    ts: 1_700_000_000,
  });
});

Deno.test("readTxt() fills optional fields and ignores unknown keys", () => {
  const txt = { node_id: "myco-0123456789ab", tier: "edge", version: "0.2", port: "1", ts: "5" };
  assert.deepEqual(readTxt({ ...txt, future: "x" }), {
    nodeId: "myco-0123456789ab",
    tier: "edge",
    gpuTier: "none",
    caps: [],
    gpu: "none",
    vramMb: 0,
    models: [],
    modelsMore: 0,
    version: "0.2",
    apiPort: 1,
    ts: 5,
  });
});

Deno.test("readTxt() returns null for missing or malformed fields", () => {
  const good = buildTxt(NODE, { now: T0 });
  const without = (key: string) =>
    Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));
  for (const key of ["node_id", "tier", "version", "port", "ts"]) {
    assert.equal(readTxt(without(key)), null, key);
  }
  for (
    const [key, value] of [
      ["port", "0"],
      ["port", "65536"],
      ["port", "80a"],
      ["ts", "-1"],
      [
        "vram",
        "1e3",
      ],
      ["vram", "01"],
      ["node_id", "myco-xyz"],
      ["models_more", " 2"],
    ] as const
  ) {
    assert.equal(readTxt({ ...good, [key]: value }), null, `${key}=${value}`);
  }
  assert.equal(readTxt({ ...good, tier: "" }), null);
});
