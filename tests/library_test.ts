/** `mycoswarm library` as a subprocess: ingestion end to end, including a kill -9 mid-run. */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";
import { overwriteRootPage } from "../testing/damaged_db.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const FIXTURES = new URL("./fixtures/library/", import.meta.url).pathname;

Deno.test("library ingest reports each broken file and a summary; list and remove", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const run = await runMain(["library", "ingest", FIXTURES], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^Ingested 7 files \(\d+ chunks\), 0 unchanged, 5 skipped, 0 failed · embedded with nomic-embed-text:latest\.\n$/,
  );
  assert.match(run.stderr, /skipped: .*binary\.txt: binary content, not text/);
  assert.match(run.stderr, /skipped: .*truncated\.pdf: not a readable PDF/);
  const again = await runMain(["library", "ingest", "--json", FIXTURES], { env });
  const summary = JSON.parse(again.stdout);
  assert.deepEqual([summary.ingested, summary.unchanged, summary.skipped], [0, 7, 5]);

  const list = JSON.parse((await runMain(["library", "list", "--json"], { env })).stdout);
  assert.equal(list.documents.length, 7);
  const removed = await runMain(["library", "remove", `${FIXTURES}notes.md`, "999"], { env });
  assert.equal(removed.code, 1);
  assert.match(removed.stdout, /Removed .*notes\.md \(\d+ chunks\)\nNot in the library: 999\n/);
  const after = JSON.parse((await runMain(["library", "list", "--json"], { env })).stdout);
  assert.equal(after.documents.length, 6);
});

Deno.test("library ingest without a model server stores chunks for keyword search and says so", async () => {
  await using dir = await tempHome();
  const run = await runMain(["library", "ingest", `${FIXTURES}notes.md`], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: "127.0.0.1:9" },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /warning: No model server at .*keyword search only/s);
  assert.match(run.stdout, /Ingested 1 files/);
});

Deno.test("library: bad actions and missing arguments are usage errors", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home };
  for (
    const [args, pattern] of [
      [["library"], /name an action: ingest, search, list, remove, reindex/],
      [["library", "burn"], /unknown action 'burn'/],
      [["library", "ingest"], /name files or folders/],
    ] as const
  ) {
    const run = await runMain([...args], { env });
    assert.equal(run.code, 2, args.join(" "));
    assert.match(run.stderr, pattern);
  }
});

Deno.test("library ingest killed with SIGKILL mid-run leaves a valid database; a re-run finishes", async () => {
  await using fake = await startFakeLlm({ embedDelayMs: 40 });
  await using dir = await tempHome();
  const docs = `${dir.home}/docs`;
  await Deno.mkdir(docs);
  for (let i = 0; i < 30; i++) {
    await Deno.writeTextFile(`${docs}/note-${String(i).padStart(2, "0")}.md`, noteText(i));
  }
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url, NO_COLOR: "1" };
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "library", "ingest", docs],
    env: { ...env, PATH: Deno.env.get("PATH") ?? "" },
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  // Kill it once some files are in (plain progress lines: "[N/30] ...").
  let seen = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stderr) {
    seen += decoder.decode(chunk, { stream: true });
    if (/\[(1[0-9])\/30\]/.test(seen)) break;
  }
  child.kill("SIGKILL");
  const status = await child.status;
  assert.equal(status.signal, "SIGKILL");

  const db = new DatabaseSync(`${dir.home}/memory.db`);
  try {
    assert.equal(
      (db.prepare("PRAGMA integrity_check").get() as { integrity_check: string })
        .integrity_check,
      "ok",
    );
    const docsIn = Number(
      (db.prepare("SELECT COUNT(*) AS n FROM documents").get() as { n: number }).n,
    );
    assert.ok(docsIn > 0 && docsIn < 30, `killed mid-run with ${docsIn} documents in`);
    const torn = db.prepare(
      `SELECT d.source FROM documents d
       WHERE d.chunk_count != (SELECT COUNT(*) FROM chunks c WHERE c.document_id = d.id)`,
    ).all();
    assert.deepEqual(torn, [], "every committed document has all its chunks");
  } finally {
    db.close();
  }

  const rerun = await runMain(["library", "ingest", "--json", docs], { env });
  assert.equal(rerun.code, 0, rerun.stderr);
  const summary = JSON.parse(rerun.stdout);
  assert.equal(summary.ingested + summary.unchanged, 30);
  assert.ok(summary.unchanged > 0, "what was committed before the kill is kept");
});

function noteText(i: number): string {
  const words = ["spore", "hypha", "mycelium", "substrate", "fruiting", "agar", "culture"];
  const body = Array.from({ length: 300 }, (_, k) => words[(i + k) % words.length]).join(" ");
  return `# Note ${i}\n\n${body}\n\n## Details\n\n${body}\n`;
}

Deno.test("library search prints source, section, score and snippet; --json gives the same hits", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await runMain(["library", "ingest", FIXTURES], { env });
  const run = await runMain(["library", "search", "-n", "2", "oyster", "mushrooms"], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^1\. \/.*\.(md|pdf|csv|txt|html) (› .+ )? \(score 0\.\d{4}\)\n {3}\S/m);
  assert.equal(run.stdout.match(/^\d\. /gm)?.length, 2);
  const json = JSON.parse(
    (await runMain(["library", "search", "--json", "-n", "2", "oyster mushrooms"], { env }))
      .stdout,
  );
  assert.equal(json.mode, "hybrid");
  assert.equal(json.hits.length, 2);
  for (const key of ["source", "section", "score", "snippet", "bm25_rank", "vector_rank"]) {
    assert.ok(key in json.hits[0], key);
  }
  const bad = await runMain(["library", "search", "-n", "500", "x"], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /library search: -n must be a whole number from 1 to 50, not '500'/);
});

Deno.test("library reindex embeds what was stored without vectors; search then goes hybrid", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const offline = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: "127.0.0.1:9" };
  const online = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await runMain(["library", "ingest", `${FIXTURES}notes.md`, `${FIXTURES}plain.txt`], {
    env: offline,
  });
  const keywordOnly = await runMain(["library", "search", "--json", "compost"], { env: offline });
  assert.equal(JSON.parse(keywordOnly.stdout).mode, "bm25");
  assert.match(keywordOnly.stderr, /note: keyword search only: No model server/);
  assert.match(JSON.parse(keywordOnly.stdout).hits[0].source, /plain\.txt$/);

  const reindexOffline = await runMain(["library", "reindex"], { env: offline });
  assert.equal(reindexOffline.code, 3);
  assert.match(reindexOffline.stderr, /Cannot reindex: No model server/);

  const reindex = await runMain(["library", "reindex", "--json"], { env: online });
  assert.equal(reindex.code, 0, reindex.stderr);
  const summary = JSON.parse(reindex.stdout);
  assert.equal(summary.model, "nomic-embed-text:latest");
  assert.ok(summary.embedded > 0);
  const hybrid = await runMain(["library", "search", "--json", "compost"], { env: online });
  assert.equal(JSON.parse(hybrid.stdout).mode, "hybrid");
  assert.equal(hybrid.stderr, "");
  const nothingLeft = JSON.parse(
    (await runMain(["library", "reindex", "--json"], { env: online })).stdout,
  );
  assert.equal(nothingLeft.embedded, 0);
});

Deno.test("library search warns once when the library was embedded with another model", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  await runMain(["library", "ingest", `${FIXTURES}notes.md`], { env });
  fake.options.models = [{ name: "llama3.2:3b" }, { name: "mxbai-embed-large" }];
  const run = await runMain(["library", "search", "substrate"], { env });
  assert.equal(run.code, 0, run.stderr);
  const notes = run.stderr.match(/^note: .*$/gm) ?? [];
  assert.equal(notes.length, 1, run.stderr);
  assert.match(notes[0]!, /embedded with nomic-embed-text:latest, not mxbai-embed-large.*reindex/);
});

Deno.test("library list, library search and memory on a damaged database: the damage, what to do, exit 5", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: "127.0.0.1:9" };
  const ingested = await runMain(["library", "ingest", `${FIXTURES}notes.md`], { env });
  assert.equal(ingested.code, 0, ingested.stderr);
  await overwriteRootPage(`${dir.home}/memory.db`, "documents");
  for (const args of [["library", "list"], ["library", "search", "notes"], ["memory"]]) {
    const run = await runMain(args, { env });
    assert.equal(run.code, 5, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, /mycoswarm: .*memory\.db is damaged \(.+\)/);
    assert.match(run.stderr, /Stop mycoswarm .*\n.*sqlite3 memory\.db \.recover/s);
  }
});
