/** Who this node is: hardware, tier, capabilities, model server and models, in one object. */

import type { Config } from "../config/mod.ts";
import { type Deps, isMycoError, redactUrl, VERSION } from "../core/mod.ts";
import {
  bestGpu,
  capabilitiesFor,
  type Capability,
  type GpuInfo,
  type GpuTier,
  gpuTierFor,
  type NodeTier,
  nodeTierFor,
  parseTierOverride,
  probeHardware,
  type ProbeIo,
} from "../hardware/mod.ts";
import { ModelClient, pickRoles, rolesOf } from "../llm/mod.ts";
import { loadOrCreateNodeId, newNodeId } from "./node_id.ts";

/** The model server as this node sees it. */
export interface ModelServerStatus {
  /** The server's address, as configured, its credentials masked (peers and clients see it). */
  url: string;
  /** Which API it speaks, "unknown" when unreachable. */
  kind: "ollama" | "openai" | "unknown";
  /** Whether it answered, so peers do not route model work here when not. */
  reachable: boolean;
  /** The server's version, when it tells. */
  version: string | null;
  /** Why it is not reachable, when it is not. */
  error: string | null;
}

/** A model installed on this node's model server, with the jobs it was picked for. */
export interface NodeModel {
  /** The model's name, as peers ask for it. */
  name: string;
  /** Size on disk, to tell which models a peer can hold. */
  size_bytes?: number;
  /** The main role: "chat", "gate", "embedding", or "available". */
  role: string;
  /** Every role it plays (a lone model is both chat and gate). */
  roles: string[];
}

/** What `detect --json` prints and `GET /identity` returns. */
export interface NodeIdentity {
  /** The stable node id (`myco-…`), the key peers know this node by. */
  node_id: string;
  /** The machine's host name, for people. */
  hostname: string;
  /** The mycoswarm version, to spot mixed swarms. */
  version: string;
  /** The operating system (`Deno.build.os`). */
  os: string;
  /** The CPU architecture (`Deno.build.arch`). */
  arch: string;
  /** The node tier, which decides the work routed here. */
  node_tier: NodeTier;
  /** "detected", or "override" when MYCOSWARM_TIER / config set it. */
  tier_source: "detected" | "override";
  /** The best GPU's tier. */
  gpu_tier: GpuTier;
  /** What this node can do, for routing. */
  capabilities: Capability[];
  /** The CPU's model name, for people. */
  cpu_model: string;
  /** Logical CPU cores. */
  cpu_cores: number;
  /** Total RAM in MiB. */
  ram_total_mb: number;
  /** RAM available now in MiB. */
  ram_available_mb: number;
  /** Free disk in the data folder in MiB, or null when unknown. */
  disk_free_mb: number | null;
  /** The Raspberry Pi board model, or null on other machines. */
  raspberry_pi: string | null;
  /** Every GPU found, best first. */
  gpus: GpuInfo[];
  /** The model server as this node sees it. */
  model_server: ModelServerStatus;
  /** The installed models and their roles. */
  models: NodeModel[];
  /** What the probes could not tell, said once for people. */
  notes: string[];
  /** ISO 8601 time of detection. */
  detected_at: string;
}

/** The seams {@linkcode detectNode} probes the machine and the model server through. */
export type DetectDeps = Pick<
  Deps,
  "fetch" | "clock" | "logger" | "runCommand" | "readTextFile" | "system"
>;

/** The hardware probe's seams, taken from the core ones. */
function probeIoOf(deps: DetectDeps): ProbeIo {
  return {
    runCommand: deps.runCommand,
    readTextFile: deps.readTextFile,
    hostname: deps.system.hostname,
    os: deps.system.os,
    arch: deps.system.arch,
    fallbackCores: deps.system.cpuCount,
  };
}

/**
 * Detects this node: probes the hardware and the model server at the same
 * time, classifies, and loads (or creates) the node id.
 */
export async function detectNode(config: Config, deps: DetectDeps): Promise<NodeIdentity> {
  const tierOverride = config.node.tier === null ? null : parseTierOverride(config.node.tier);
  const client = new ModelClient(config.llm, deps.fetch);
  const [probe, listing, id] = await Promise.all([
    probeHardware(probeIoOf(deps), { diskPath: config.paths.home }),
    client.listing().then((l) => ({ ok: true as const, ...l }), (error: unknown) => ({
      ok: false as const,
      error: isMycoError(error) ? error.message : String(error),
    })),
    loadOrCreateNodeId(config.paths.nodeIdFile).catch((error: unknown) => {
      deps.logger.warn(
        `cannot keep the node id in ${config.paths.nodeIdFile} (${(error as Error).message}); ` +
          "this node gets a new id each run until MYCOSWARM_HOME is writable",
      );
      return { nodeId: newNodeId(), created: true, replacedDamaged: false };
    }),
  ]);
  if (id.replacedDamaged) {
    deps.logger.warn(`${config.paths.nodeIdFile} was damaged; this node is now ${id.nodeId}`);
  }
  const best = bestGpu(probe.gpus);
  const modelServer: ModelServerStatus = listing.ok
    ? {
      url: redactUrl(listing.server.url),
      kind: listing.server.kind,
      reachable: true,
      version: listing.server.version,
      error: null,
    }
    : {
      url: redactUrl(config.llm.url),
      kind: "unknown",
      reachable: false,
      version: null,
      error: redactUrl(listing.error),
    };
  const roles = listing.ok
    ? pickRoles(listing.models, {
      chat: config.llm.chatModel,
      gate: config.llm.gateModel,
      embedding: config.llm.embeddingModel,
    })
    : null;
  const models: NodeModel[] = !listing.ok || roles === null ? [] : listing.models.map((m) => {
    const played = rolesOf(m.name, roles);
    return {
      name: m.name,
      ...(m.size_bytes === undefined ? {} : { size_bytes: m.size_bytes }),
      role: played[0] ?? "available",
      roles: played,
    };
  });
  return {
    node_id: id.nodeId,
    hostname: probe.hostname,
    version: VERSION,
    os: probe.os,
    arch: probe.arch,
    node_tier: tierOverride ?? nodeTierFor(probe),
    tier_source: tierOverride === null ? "detected" : "override",
    gpu_tier: best === null ? "none" : gpuTierFor(best.vram_total_mb),
    capabilities: capabilitiesFor(probe, { modelServerUp: listing.ok }),
    cpu_model: probe.cpu_model,
    cpu_cores: probe.cpu_cores,
    ram_total_mb: probe.ram_total_mb,
    ram_available_mb: probe.ram_available_mb,
    disk_free_mb: probe.disk_free_mb,
    raspberry_pi: probe.raspberry_pi,
    gpus: probe.gpus,
    model_server: modelServer,
    models,
    notes: probe.notes,
    detected_at: new Date(deps.clock.now()).toISOString(),
  };
}
