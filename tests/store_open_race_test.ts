/** Processes opening one fresh database at once: the schema is made once and no write is lost. */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { tempHome } from "./support/run_cli.ts";

const WRITER = new URL("./support/store_writer.ts", import.meta.url).pathname;

/** Runs the writer; resolves to its exit code and stderr. */
async function write(db: string, text: string, startMs: number) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", WRITER, db, text, String(startMs)],
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("two processes opening a fresh database at once both write, twenty times over", async () => {
  await using dir = await tempHome();
  for (let trial = 0; trial < 20; trial++) {
    const db = `${dir.home}/memory-${trial}.db`;
    // Both start past their Deno start-up, at the same moment, on a file neither has made.
    const startMs = Date.now() + 400;
    const runs = await Promise.all([
      write(db, `first ${trial}`, startMs),
      write(db, `second ${trial}`, startMs),
    ]);
    for (const run of runs) assert.equal(run.code, 0, `trial ${trial}: ${run.stderr}`);
    const check = new DatabaseSync(db, { readOnly: true });
    try {
      const rows = check.prepare("SELECT text FROM facts ORDER BY text").all();
      assert.deepEqual(rows.map((r) => r.text), [`first ${trial}`, `second ${trial}`]);
    } finally {
      check.close();
    }
  }
});
