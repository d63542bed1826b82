import assert from "node:assert/strict";
import { claimSession } from "./session_claims.ts";

Deno.test("claimSession(): of claims made at once, exactly one holds; released, it can be claimed again", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/sessions/s.json`;
    const results = await Promise.all(
      Array.from({ length: 8 }, () => claimSession(path, "reflect", Date.now())),
    );
    const held = results.filter((r) => r.ok);
    assert.equal(held.length, 1);
    for (const r of results) if (!r.ok) assert.equal(r.holder.pid, Deno.pid);
    held[0]!.ok && held[0]!.claim.release();
    const again = await claimSession(path, "chat", Date.now());
    assert.ok(again.ok);
    again.claim.release();
    assert.deepEqual([...Deno.readDirSync(`${dir}/sessions`)], [], "no lock file left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("claimSession() takes over the claim of a process that is gone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.json`;
    const gone = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
    await gone.status;
    const holder = {
      pid: gone.pid,
      hostname: Deno.hostname(),
      purpose: "chat",
      at: "",
      token: "x",
    };
    await Deno.writeTextFile(`${path}.lock`, JSON.stringify(holder));
    const claimed = await claimSession(path, "reflect", Date.now());
    assert.ok(claimed.ok, "a crashed chat does not hold its session forever");
    claimed.claim.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("claimSession(): of claims made at once on a stale lock, exactly one takes it over", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.json`;
    const gone = new Deno.Command(Deno.execPath(), { args: ["eval", ""] }).spawn();
    await gone.status;
    const stale = { pid: gone.pid, hostname: Deno.hostname(), purpose: "chat", at: "", token: "x" };
    for (let round = 0; round < 5; round++) {
      await Deno.writeTextFile(`${path}.lock`, JSON.stringify(stale));
      const results = await Promise.all(
        Array.from({ length: 8 }, () => claimSession(path, "reflect", Date.now())),
      );
      assert.equal(results.filter((r) => r.ok).length, 1, `round ${round}`);
      for (const r of results) if (r.ok) r.claim.release();
    }
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no lock, guard or staging file left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("claimSession() takes over a claim left with this very pid by an earlier process (a container restarted)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/s.json`;
    const earlier = {
      pid: Deno.pid,
      hostname: Deno.hostname(),
      purpose: "chat",
      at: "",
      token: "old",
    };
    await Deno.writeTextFile(`${path}.lock`, JSON.stringify(earlier));
    const claimed = await claimSession(path, "chat", Date.now());
    assert.ok(claimed.ok, "the pid is ours, but the claim is not one this process holds");
    const again = await claimSession(path, "reflect", Date.now());
    assert.ok(!again.ok, "a claim this process holds is still respected");
    claimed.claim.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
