import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { DEFAULT_DISCOVERY_CONFIG } from "../discovery/mod.ts";
import { daemonConfig, DEFAULT_DAEMON_CONFIG } from "./daemon_config.ts";

const noFile = () => Promise.reject(new Deno.errors.NotFound("no config file"));

Deno.test("daemonConfig() takes the heartbeat from the config and keeps the check below it", async () => {
  const defaults = daemonConfig(await loadConfig({ env: { HOME: "/home/ann" }, readFile: noFile }));
  assert.equal(defaults.discovery.heartbeatIntervalMs, 2_000);
  assert.equal(defaults.discovery.heartbeatTimeoutMs, DEFAULT_DISCOVERY_CONFIG.heartbeatTimeoutMs);
  assert.equal(defaults.identityRefreshMs, DEFAULT_DAEMON_CONFIG.identityRefreshMs);

  const fast = await loadConfig({
    env: { HOME: "/home/ann" },
    readFile: () => Promise.resolve("[daemon]\nheartbeat_seconds = 1\n"),
  });
  const timings = daemonConfig(fast, { shutdownGraceMs: 100 });
  assert.equal(timings.discovery.heartbeatIntervalMs, 1_000);
  assert.equal(timings.discovery.heartbeatTimeoutMs, 750, "a check ends before the next starts");
  assert.equal(timings.shutdownGraceMs, 100);
  assert.ok(Object.isFrozen(timings));
});
