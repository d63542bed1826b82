/** compile.sh refuses clearly when it cannot build (no network is needed to check that). */

import assert from "node:assert/strict";

const SCRIPT = new URL("../compile.sh", import.meta.url).pathname;

async function compile(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command("bash", {
    args: [SCRIPT, ...args],
    env: { PATH: Deno.env.get("PATH") ?? "", ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("compile.sh names a DENORT_BIN that is not an executable", async () => {
  const run = await compile(["x86_64-unknown-linux-gnu"], { DENORT_BIN: "/nonexistent/denort" });
  assert.equal(run.code, 1);
  assert.equal(
    run.stderr,
    "compile.sh: DENORT_BIN=/nonexistent/denort is not an executable file\n",
  );
});

Deno.test("compile.sh refuses an unknown target before building", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const denort = `${dir}/denort`;
    await Deno.writeTextFile(denort, "#!/bin/sh\n", { mode: 0o755 });
    const run = await compile(["sparc-sun-solaris"], { DENORT_BIN: denort });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown target 'sparc-sun-solaris'/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("compile.sh with DENORT_BIN wants exactly one target", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const denort = `${dir}/denort`;
    await Deno.writeTextFile(denort, "#!/bin/sh\n", { mode: 0o755 });
    const run = await compile([], { DENORT_BIN: denort });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /with DENORT_BIN, name the one target/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
