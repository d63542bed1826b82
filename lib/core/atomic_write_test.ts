import assert from "node:assert/strict";
import { writeFileAtomic } from "./atomic_write.ts";

const posix = Deno.build.os !== "windows";

async function tempDir(): Promise<{ dir: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "mycoswarm-atomic-" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
const modeOf = async (path: string) => (await Deno.stat(path)).mode! & 0o777;

Deno.test("writeFileAtomic() writes text, bytes and chunks, leaving no temp file", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/a.txt`;
  assert.equal(await writeFileAtomic(path, "héllo\n"), true);
  assert.equal(await Deno.readTextFile(path), "héllo\n");
  await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
  assert.deepEqual(await Deno.readFile(path), new Uint8Array([1, 2, 3]));
  await writeFileAtomic(path, [new Uint8Array([4]), new Uint8Array(0), new Uint8Array([5, 6])], {
    sync: false,
  });
  assert.deepEqual(await Deno.readFile(path), new Uint8Array([4, 5, 6]));
  assert.deepEqual(names(tmp.dir), ["a.txt"]);
});

Deno.test("writeFileAtomic() gives a new file the mode asked for, despite the umask", {
  ignore: !posix,
}, async () => {
  await using tmp = await tempDir();
  await writeFileAtomic(`${tmp.dir}/private`, "x", { mode: 0o600 });
  assert.equal(await modeOf(`${tmp.dir}/private`), 0o600);
  await writeFileAtomic(`${tmp.dir}/shared`, "x", { mode: 0o666 });
  assert.equal(await modeOf(`${tmp.dir}/shared`), 0o666);
});

Deno.test("writeFileAtomic() keeps an existing file's mode and never loosens it", {
  ignore: !posix,
}, async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/f`;
  await Deno.writeTextFile(path, "old");
  await Deno.chmod(path, 0o640);
  await writeFileAtomic(path, "new");
  assert.equal(await modeOf(path), 0o640, "kept when no mode is asked");
  await Deno.chmod(path, 0o400);
  await writeFileAtomic(path, "newer", { mode: 0o600 });
  assert.equal(await modeOf(path), 0o400, "a stricter existing mode is not loosened");
  await Deno.chmod(path, 0o644);
  await writeFileAtomic(path, "newest", { mode: 0o600 });
  assert.equal(await modeOf(path), 0o600, "a looser existing mode is tightened");
  assert.equal(await Deno.readTextFile(path), "newest");
});

Deno.test("writeFileAtomic() with overwrite false leaves an existing file alone", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/token`;
  assert.equal(await writeFileAtomic(path, "first", { overwrite: false }), true);
  assert.equal(await writeFileAtomic(path, "second", { overwrite: false }), false);
  assert.equal(await Deno.readTextFile(path), "first");
  assert.deepEqual(names(tmp.dir), ["token"]);
});

Deno.test("writeFileAtomic() from many writers at once leaves one whole file", async () => {
  await using tmp = await tempDir();
  const path = `${tmp.dir}/f`;
  const texts = [1, 2, 3, 4, 5, 6].map((i) => String(i).repeat(10_000));
  await Promise.all(texts.map((t) => writeFileAtomic(path, t)));
  assert.ok(texts.includes(await Deno.readTextFile(path)));
  const won = await Promise.all(
    texts.map((t) => writeFileAtomic(`${path}2`, t, { overwrite: false })),
  );
  assert.equal(won.filter(Boolean).length, 1);
  assert.deepEqual(names(tmp.dir), ["f", "f2"]);
});

Deno.test("writeFileAtomic() throws the file system's error and removes the temp file", async () => {
  await using tmp = await tempDir();
  await assert.rejects(
    () => writeFileAtomic(`${tmp.dir}/missing/f`, "x"),
    Deno.errors.NotFound,
  );
  // The rename fails: the target is a non-empty folder.
  await Deno.mkdir(`${tmp.dir}/taken`);
  await Deno.writeTextFile(`${tmp.dir}/taken/inside`, "x");
  await assert.rejects(() => writeFileAtomic(`${tmp.dir}/taken`, "x"));
  assert.deepEqual(names(tmp.dir), ["taken"]);
  assert.deepEqual(names(`${tmp.dir}/taken`), ["inside"]);
});
