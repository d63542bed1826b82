import assert from "node:assert/strict";
import { contentHash } from "./content_hash.ts";

Deno.test("contentHash() gives the SHA-256 hex of the bytes", async () => {
  assert.equal(
    await contentHash(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    await contentHash(new Uint8Array()),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
});

Deno.test("contentHash() changes when one byte changes", async () => {
  const a = new Uint8Array([1, 2, 3]);
  const b = new Uint8Array([1, 2, 4]);
  assert.notEqual(await contentHash(a), await contentHash(b));
  assert.match(await contentHash(a), /^[0-9a-f]{64}$/);
});
