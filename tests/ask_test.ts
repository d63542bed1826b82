/** `mycoswarm ask` against the test model server, as a subprocess. */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";

Deno.test("ask streams the answer of the largest chat model", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["ask", "what is a mycelium?"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "You said: what is a mycelium?. (model qwen2.5:14b, 2 messages)\n");
  assert.equal(run.stderr, "");
});

Deno.test("ask --json prints {answer, model, duration_ms}", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["ask", "--json", "--model", "llama3.2:3b", "hi", "there"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
  });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.answer, "You said: hi there. (model llama3.2:3b, 2 messages)");
  assert.equal(out.model, "llama3.2:3b");
  assert.equal(typeof out.duration_ms, "number");
  assert.ok(out.usage.output_tokens > 0);
});

Deno.test("ask reads the prompt from piped stdin", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["ask"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
    stdin: "why is the sky blue?\n",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /You said: why is the sky blue\?/);
  const empty = await runMain(["ask"], { env: { MYCOSWARM_HOME: dir.home }, stdin: "  \n" });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /give a prompt/);
});

Deno.test("ask with a model that is not installed lists the installed ones, exit 3", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["ask", "-m", "llama9:70b", "hi"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
  });
  assert.equal(run.code, 3);
  assert.match(
    run.stderr,
    /Model 'llama9:70b' \(from --model\) is not installed on http:\/\/127\.0\.0\.1:\d+/,
  );
  assert.match(run.stderr, /Installed: gemma3:1b, llama3\.2:3b, qwen2\.5:14b, nomic-embed-text/);
  assert.equal(run.stdout, "");
});

Deno.test("ask keeps the partial answer when the server drops mid-stream, exit 3", async () => {
  await using fake = await startFakeLlm({ dropAfterTokens: 2 });
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url };
  const run = await runMain(["ask", "tell me everything"], { env });
  assert.equal(run.code, 3);
  assert.equal(run.stdout, "You said:\n");
  assert.match(run.stderr, /dropped mid-answer; the partial answer was kept/);
  const json = await runMain(["ask", "--json", "tell me everything"], { env });
  assert.equal(json.code, 3);
  assert.deepEqual(
    [JSON.parse(json.stdout).answer, typeof JSON.parse(json.stdout).error],
    ["You said:", "string"],
  );
});

Deno.test("ask works against a plain OpenAI-compatible server (MYCOSWARM_LLM_URL)", async () => {
  await using fake = await startFakeLlm({ flavor: "openai", models: [{ name: "phi4:14b" }] });
  await using dir = await tempHome();
  const run = await runMain(["ask", "hello"], {
    env: { MYCOSWARM_HOME: dir.home, MYCOSWARM_LLM_URL: `${fake.url}/v1` },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "You said: hello. (model phi4:14b, 2 messages)\n");
});

Deno.test("models --json lists models with their roles", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["models", "--json"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
  });
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.server.kind, "ollama");
  const byName = Object.fromEntries(
    out.models.map((m: { name: string; roles: string[] }) => [m.name, m.roles]),
  );
  assert.deepEqual(byName["qwen2.5:14b"], ["chat"]);
  assert.deepEqual(byName["gemma3:1b"], ["gate"]);
  assert.deepEqual(byName["nomic-embed-text:latest"], ["embedding"]);
});

Deno.test("detect with a model server lists its models and grants cpu_inference", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["detect", "--json"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url },
  });
  assert.equal(run.code, 0, run.stderr);
  const node = JSON.parse(run.stdout);
  assert.deepEqual(node.model_server, {
    url: fake.url,
    kind: "ollama",
    reachable: true,
    version: node.model_server.version,
    error: null,
  });
  assert.equal(node.models.length, 4);
  assert.equal(node.models.find((m: { role: string }) => m.role === "chat").name, "qwen2.5:14b");
  // This test machine has ≥ 2 cores and ≥ 4 GB (CI machines have 2 cores, 24 GB).
  assert.ok(node.capabilities.includes("cpu_inference"));
});

Deno.test("a missing model set in MYCOSWARM_MODEL is named with its source", async () => {
  await using fake = await startFakeLlm();
  await using dir = await tempHome();
  const run = await runMain(["ask", "hi"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: fake.url, MYCOSWARM_MODEL: "gone:7b" },
  });
  assert.equal(run.code, 3);
  assert.match(run.stderr, /Model 'gone:7b' \(from MYCOSWARM_MODEL\) is not installed/);
});
