/** The CLI as a user meets it: main.ts in a subprocess, checking stdout, stderr and exit codes. */

import assert from "node:assert/strict";
import { runMain, tempHome } from "./support/run_cli.ts";
import { startFakeLlm } from "../testing/fake_llm.ts";

const DEAD_SERVER = "127.0.0.1:9"; // the discard port: nothing listens there

Deno.test("mycoswarm --help lists the commands; no command prints help with exit 2", async () => {
  const help = await runMain(["--help"]);
  assert.equal(help.code, 0);
  for (const command of ["chat", "ask", "detect", "models"]) {
    assert.match(help.stdout, new RegExp(`^  ${command} `, "m"));
  }
  const bare = await runMain([]);
  assert.equal(bare.code, 2);
  assert.match(bare.stdout, /Usage: mycoswarm <command>/);
});

Deno.test("every command has its own --help and answers --version", async () => {
  const version = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)))
    .version;
  for (const command of ["chat", "ask", "detect", "models"]) {
    const help = await runMain([command, "--help"]);
    assert.equal(help.code, 0, command);
    assert.match(help.stdout, new RegExp(`^Usage: mycoswarm ${command}`), command);
    const v = await runMain([command, "--version"]);
    assert.equal(v.stdout, `mycoswarm ${version}\n`);
  }
  assert.equal((await runMain(["help", "ask"])).stdout.split("\n")[0]?.startsWith("Usage"), true);
});

Deno.test("an unknown command or flag is one line naming the bad word, exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /^mycoswarm: unknown command 'frobnicate' \(commands: .*\)\n$/],
    [["--frob"], /^mycoswarm: unknown flag '--frob'/],
    [["detect", "--fast"], /^mycoswarm: detect: unknown flag '--fast' \(see .*\)\n$/],
    [["detect", "--json=yes"], /^mycoswarm: detect: flag '--json' takes no value/],
    [["chat", "--json"], /^mycoswarm: chat: --json goes with --list/],
    [["ask", "--model"], /flag '--model' needs a value/],
    [["detect", "extra"], /unexpected argument 'extra'/],
    [["chat", "--session", "../x"], /Bad session name '\.\.\/x'/],
  ];
  for (const [args, pattern] of cases) {
    const run = await runMain(args);
    assert.equal(run.code, 2, args.join(" "));
    assert.match(run.stderr, pattern, args.join(" "));
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.equal(run.stdout, "");
  }
});

Deno.test("ask with no model server names the URL and the fix, exit 3, no stack trace", async () => {
  await using dir = await tempHome();
  const run = await runMain(["ask", "hello"], {
    env: { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: DEAD_SERVER },
  });
  assert.equal(run.code, 3);
  assert.match(run.stderr, /No model server at http:\/\/127\.0\.0\.1:9 \(from OLLAMA_HOST\)/);
  assert.match(run.stderr, /start Ollama.*OLLAMA_HOST.*MYCOSWARM_LLM_URL/);
  assert.doesNotMatch(run.stderr, /\bat .*\.ts:\d+/);
});

Deno.test("chat with no model server fails the same way before the prompt", async () => {
  await using dir = await tempHome();
  const run = await runMain(["chat"], {
    env: { MYCOSWARM_HOME: dir.home, MYCOSWARM_LLM_URL: `http://${DEAD_SERVER}/v1` },
    stdin: "hello\n",
  });
  assert.equal(run.code, 3);
  assert.match(
    run.stderr,
    /No model server at http:\/\/127\.0\.0\.1:9\/v1 \(from MYCOSWARM_LLM_URL\)/,
  );
});

Deno.test("an invalid config file is named with its line, exit 2", async () => {
  await using dir = await tempHome();
  await Deno.writeTextFile(`${dir.home}/config.toml`, "[llm]\nurl = 'http://x'\nchat_model = \n");
  const run = await runMain(["detect"], { env: { MYCOSWARM_HOME: dir.home } });
  assert.equal(run.code, 2);
  assert.match(run.stderr, new RegExp(`${dir.home}/config\\.toml:3:\\d+: invalid TOML`));
  await Deno.writeTextFile(`${dir.home}/config.toml`, "[daemon]\nport = 'seven'\n");
  const typed = await runMain(["ask", "x"], { env: { MYCOSWARM_HOME: dir.home } });
  assert.equal(typed.code, 2);
  assert.match(typed.stderr, /field 'daemon\.port' must be an integer/);
});

Deno.test("detect: a fake RTX 3090 nvidia-smi on PATH makes the node executive", async () => {
  await using dir = await tempHome();
  const bin = `${dir.home}/bin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    `${bin}/nvidia-smi`,
    '#!/bin/sh\necho "NVIDIA GeForce RTX 3090, 24576, 23000"\n',
    { mode: 0o755 },
  );
  const env = {
    MYCOSWARM_HOME: dir.home,
    OLLAMA_HOST: DEAD_SERVER,
    PATH: `${bin}:${Deno.env.get("PATH")}`,
  };
  const run = await runMain(["detect", "--json"], { env });
  assert.equal(run.code, 0, run.stderr);
  const node = JSON.parse(run.stdout);
  assert.equal(node.node_tier, "executive");
  assert.equal(node.gpu_tier, "ultra");
  assert.deepEqual(node.gpus, [
    {
      name: "NVIDIA GeForce RTX 3090",
      vendor: "nvidia",
      vram_total_mb: 24576,
      vram_free_mb: 23000,
    },
  ]);
  // No model server up: the GPU keeps its tier but cannot infer yet.
  assert.ok(!node.capabilities.includes("gpu_inference"));
  assert.equal(node.model_server.reachable, false);
  assert.match(node.node_id, /^myco-[0-9a-f]{12}$/);
  for (const key of ["hostname", "cpu_model", "cpu_cores", "ram_total_mb", "models"]) {
    assert.ok(key in node, key);
  }
  // The node id is stable across runs.
  const again = JSON.parse((await runMain(["detect", "--json"], { env })).stdout);
  assert.equal(again.node_id, node.node_id);
  assert.equal((await Deno.readTextFile(`${dir.home}/node_id`)).trim(), node.node_id);
});

Deno.test("detect: MYCOSWARM_TIER overrides the tier; a bad value is refused", async () => {
  await using dir = await tempHome();
  const env = { MYCOSWARM_HOME: dir.home, OLLAMA_HOST: DEAD_SERVER, MYCOSWARM_TIER: "Light" };
  const run = await runMain(["detect", "--json"], { env });
  assert.equal(run.code, 0, run.stderr);
  const node = JSON.parse(run.stdout);
  assert.equal(node.node_tier, "light");
  assert.equal(node.tier_source, "override");
  const bad = await runMain(["detect"], { env: { ...env, MYCOSWARM_TIER: "boss" } });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /boss/);
});

Deno.test("help --help and help --version work; help daemon shows the daemon's usage", async () => {
  assert.match((await runMain(["help", "--help"])).stdout, /Usage: mycoswarm <command>/);
  assert.match((await runMain(["help", "-V"])).stdout, /^mycoswarm \d+\.\d+\.\d+\n$/);
  const daemon = await runMain(["help", "daemon"]);
  assert.equal(daemon.code, 0);
  assert.match(daemon.stdout, /^Usage: mycoswarm daemon \[--port N\] \[--bind ADDR\]/);
});

Deno.test("an unwritable data folder is a clear error, not an internal one", async () => {
  await using fake = await startFakeLlm();
  // /proc/self is a folder nobody (not even root) can create files in.
  const env = { MYCOSWARM_HOME: "/proc/self", OLLAMA_HOST: fake.url };
  const run = await runMain(["chat", "-s", "x"], { env, stdin: "hello\n" });
  assert.match(run.stdout, /You said: hello/);
  assert.match(
    run.stderr,
    /\[not saved\] Cannot save the session to \/proc\/self\/sessions\/x\.json/,
  );
  assert.doesNotMatch(run.stderr, /internal error/);
  assert.equal(run.code, 1);
  const detect = await runMain(["detect", "--json"], { env });
  assert.equal(detect.code, 0, detect.stderr);
  assert.match(JSON.parse(detect.stdout).node_id, /^myco-[0-9a-f]{12}$/);
  assert.match(detect.stderr, /cannot keep the node id in \/proc\/self\/node_id/);
});
