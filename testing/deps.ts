/**
 * The core seams for a node or command started in a test: the real network, clock and
 * timers, no commands or files of the machine (so hardware detection sees nothing), a
 * silent logger, and a machine of the given name.
 *
 * @module
 */

import { type Deps, silentLogger, systemClock, systemTimers } from "../lib/core/mod.ts";

/** A test's `Deps`; `overrides` replaces any of them. */
export function testDeps(overrides: Partial<Deps> & { hostname?: string } = {}): Deps {
  const { hostname = "test-box", ...rest } = overrides;
  return {
    fetch: globalThis.fetch.bind(globalThis),
    clock: systemClock,
    timers: systemTimers,
    runCommand: () => Promise.resolve(null),
    readTextFile: () => Promise.resolve(null),
    logger: silentLogger,
    newId: () => crypto.randomUUID(),
    system: { hostname, os: "linux", arch: "x86_64", cpuCount: 4 },
    ...rest,
  };
}
