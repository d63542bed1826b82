import assert from "node:assert/strict";
import { DEFAULT_DISCOVERY_CONFIG, discoveryConfig } from "./config.ts";

const c = DEFAULT_DISCOVERY_CONFIG;

Deno.test("DEFAULT_DISCOVERY_CONFIG uses the RFC 6762 §10 TTLs", () => {
  assert.equal(c.hostTtlSeconds, 120);
  assert.equal(c.serviceTtlSeconds, 4500);
});

Deno.test("DEFAULT_DISCOVERY_CONFIG re-announces before 80 % of the host TTL", () => {
  assert.ok(c.reannounceIntervalMs < 0.8 * c.hostTtlSeconds * 1000);
});

Deno.test("DEFAULT_DISCOVERY_CONFIG notices a kill -9 within 10 s", () => {
  // Worst case: the failures take one interval each, the last one a full timeout.
  const worst = c.failuresBeforeDead * c.heartbeatIntervalMs + c.heartbeatTimeoutMs;
  assert.equal(worst, 7_500);
  assert.ok(c.heartbeatTimeoutMs < c.heartbeatIntervalMs);
});

Deno.test("DEFAULT_DISCOVERY_CONFIG accepts TXT across several re-announcements", () => {
  assert.ok(c.maxAnnouncementAgeSeconds * 1000 > 3 * c.reannounceIntervalMs);
});

Deno.test("discoveryConfig() replaces values and freezes", () => {
  const custom = discoveryConfig({ heartbeatIntervalMs: 5_000 });
  assert.equal(custom.heartbeatIntervalMs, 5_000);
  assert.equal(custom.failuresBeforeDead, 3);
  assert.ok(Object.isFrozen(custom) && Object.isFrozen(DEFAULT_DISCOVERY_CONFIG));
});
