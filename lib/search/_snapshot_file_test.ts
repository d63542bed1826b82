import assert from "node:assert/strict";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { parseSnapshot, readSnapshotFile, writeSnapshotFile } from "./_snapshot_file.ts";

/** Sections of awkward lengths (0, 1, 7, 9 bytes…), so padding and alignment are exercised. */
const SECTIONS = [
  { kind: 1, bytes: Uint8Array.of(1, 2, 3) },
  { kind: 2, bytes: new Uint8Array(0) },
  { kind: 2, bytes: new Uint8Array(new Float64Array([Math.PI, -0, 1e300]).buffer) },
  { kind: 7, bytes: Uint8Array.from({ length: 9 }, (_, i) => 200 + i) },
  { kind: 9, bytes: new Uint8Array(new Float32Array([0.5, -2, 3.25]).buffer) },
];

/** Runs `fn` on a snapshot of {@linkcode SECTIONS} written to a temporary folder. */
async function withSnapshot(fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "snapshot_file_test_" });
  try {
    const path = join(dir, "x.snapshot");
    await writeSnapshotFile(path, SECTIONS);
    await fn(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The sections read from `path`; fails the test unless the read is whole. */
async function sectionsAt(path: string) {
  const read = await readSnapshotFile(path);
  assert.equal(read.status, "ok");
  return read.status === "ok" ? read.sections : [];
}

Deno.test("readSnapshotFile() gives back each section's kind and bytes", async () => {
  await withSnapshot(async (path) => {
    const sections = await sectionsAt(path);
    assert.deepEqual(
      sections.map((s) => [s.kind, [...s.bytes]]),
      SECTIONS.map((s) => [s.kind, [...s.bytes]]),
    );
  });
});

Deno.test("readSnapshotFile() sections are 8-byte-aligned views of one buffer", async () => {
  await withSnapshot(async (path) => {
    const sections = await sectionsAt(path);
    const buffer = sections[0]!.bytes.buffer;
    for (const { bytes } of sections) {
      assert.equal(bytes.buffer, buffer, "a view, not a copy");
      assert.equal(bytes.byteOffset % 8, 0, `section at ${bytes.byteOffset}`);
    }
    // Typed arrays view them in place, which throws unless aligned.
    const floats = sections[2]!.bytes;
    assert.deepEqual([...new Float64Array(floats.buffer, floats.byteOffset, 3)], [
      Math.PI,
      -0,
      1e300,
    ]);
  });
});

Deno.test("parseSnapshot() copies bytes handed to it at an unaligned offset", async () => {
  await withSnapshot(async (path) => {
    const file = await Deno.readFile(path);
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    const read = parseSnapshot(shifted.subarray(3));
    assert.equal(read.status, "ok");
    if (read.status !== "ok") return;
    const floats = read.sections[4]!.bytes;
    assert.equal(floats.byteOffset % 8, 0);
    assert.deepEqual([...new Float32Array(floats.buffer, floats.byteOffset, 3)], [0.5, -2, 3.25]);
  });
});

Deno.test("parseSnapshot() finds every single flipped byte after the format", async () => {
  await withSnapshot(async (path) => {
    const file = await Deno.readFile(path);
    for (let at = 12; at < file.length; at++) {
      const damaged = file.slice();
      damaged[at] = damaged[at]! ^ 0x01;
      assert.equal(parseSnapshot(damaged).status, "damaged", `byte ${at}`);
    }
  });
});

Deno.test("parseSnapshot() finds a consistent-checksum file with a bad table damaged, and reads a directory as damaged", async () => {
  await withSnapshot(async (path) => {
    const good = await Deno.readFile(path);
    /** `good` changed by `edit`, its length and checksum fixed so only the structure is wrong. */
    const edited = (edit: (view: DataView, bytes: Uint8Array) => Uint8Array) => {
      const copy = good.slice();
      const bytes = edit(new DataView(copy.buffer), copy);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      view.setBigUint64(16, BigInt(bytes.length), true);
      view.setUint32(12, crc32(bytes.subarray(16)), true);
      return bytes;
    };
    const cases: [string, Uint8Array][] = [
      [
        "section past the end",
        edited((v, b) => (v.setBigUint64(32 + 24 + 16, 1n << 62n, true), b)),
      ],
      [
        "offset near 2^64",
        edited((v, b) => (v.setBigUint64(32 + 24 + 8, (1n << 64n) - 8n, true), b)),
      ],
      ["huge section count", edited((v, b) => (v.setUint32(24, 0xffff_ffff, true), b))],
      ["table longer than the file", edited((v, b) => (v.setUint32(24, 4000, true), b))],
      ["truncated in the last section", edited((_, b) => b.slice(0, b.length - 9))],
    ];
    for (const [name, bytes] of cases) assert.equal(parseSnapshot(bytes).status, "damaged", name);
    assert.equal(parseSnapshot(new Uint8Array(0)).status, "damaged");
    const dir = join(path, "..", "a-directory");
    await Deno.mkdir(dir);
    assert.equal((await readSnapshotFile(dir)).status, "damaged");
  });
});
