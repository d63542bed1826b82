/**
 * Benchmarks: `deno task bench [name...]`. Each prints its figures; none asserts
 * a speed (targets are read off these numbers, not enforced by tests).
 *
 * @module
 */

import { benchApi } from "./bench/api.ts";
import { benchChatApi } from "./bench/chat_api.ts";
import { benchGrounding } from "./bench/grounding.ts";
import { benchLoad } from "./bench/load.ts";
import { benchQuality } from "./bench/quality.ts";
import { benchRetrieval } from "./bench/retrieval.ts";
import { benchStartup } from "./bench/startup.ts";
import { benchStream } from "./bench/stream.ts";
import { benchSwarmDiscovery } from "./bench/swarm_discovery.ts";
import { benchSwarmRouting } from "./bench/swarm_routing.ts";
import { benchWebFanout } from "./bench/web_fanout.ts";

const BENCHES: Record<string, { what: string; run: () => Promise<void> }> = {
  retrieval: { what: "hybrid search vs stock Orama (--sizes=…, --queries=…)", run: benchRetrieval },
  quality: {
    what: "search quality on python3-doc with USE-lite vectors: hit@1/5, MRR@10 per mode (--json)",
    run: () => benchQuality(),
  },
  startup: { what: "CLI start-up: --version, detect --json, ask", run: () => benchStartup() },
  api: {
    what: "the drop-in API: pass-through vs direct, streaming through it, the mycoswarm path",
    run: () => benchApi(),
  },
  chatapi: {
    what:
      "the daemon's chat API: spawn → listening, one-off answers (--main=PATH: another checkout)",
    run: () => benchChatApi({ main: mainFlag() }),
  },
  load: {
    what: "200 concurrent chat requests against one daemon: statuses, latency, RSS, /health",
    run: () => benchLoad(),
  },
  stream: {
    what: "streaming overhead of the model client vs bare fetch",
    run: () => benchStream(),
  },
  grounding: {
    what: "a reflection's claims checked against a pasted log of 1,000 to 16,000 lines",
    run: benchGrounding,
  },
  fanout: {
    what: "3 web searches fanned out over light nodes vs one node",
    run: () => benchWebFanout(),
  },
  swarm: {
    what: "discovery of 5 nodes in namespaces (root); routed-task latency and streaming per hop",
    run: async () => {
      await benchSwarmDiscovery();
      console.log();
      await benchSwarmRouting();
    },
  },
};

/** `--main=PATH`: another checkout's main.ts to run daemons from, for a before/after. */
function mainFlag(): string | undefined {
  return Deno.args.find((a) => a.startsWith("--main="))?.slice("--main=".length);
}

if (import.meta.main) {
  const names = Deno.args.filter((a) => !a.startsWith("-"));
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log("Usage: deno task bench [name...]\n\nBenchmarks:");
    for (const [name, { what }] of Object.entries(BENCHES)) {
      console.log(`  ${name.padEnd(10)} ${what}`);
    }
    Deno.exit(0);
  }
  const unknown = names.find((n) => !(n in BENCHES));
  if (unknown) {
    console.error(
      `bench: unknown benchmark '${unknown}' (known: ${Object.keys(BENCHES).join(", ")})`,
    );
    Deno.exit(2);
  }
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    await BENCHES[name]!.run();
    console.log();
  }
}
