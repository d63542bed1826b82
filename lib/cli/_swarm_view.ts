/** What `mycoswarm swarm` shows: one row per node from the daemon's `/status` and `/peers`. Pure. */

import type { PeerJson, StatusJson } from "../orchestrator/mod.ts";

/** One node of the swarm. */
export interface SwarmRow {
  node_id: string;
  hostname: string;
  /** The node whose daemon answered. */
  self: boolean;
  state: string;
  tier: string | null;
  hardware: string;
  models: string[];
  /** Tasks and CPU, from the node's own `/status`; null when it did not answer. */
  load: { active: number; queued: number; cpu_percent: number | null } | null;
  /** Seconds since the node was last heard from (0 for the daemon's node). */
  last_seen_seconds: number;
  address: string | null;
  latency_ms: number | null;
  version: string | null;
  /** True when it runs another version than the daemon's node. */
  other_version: boolean;
}

function hardwareOf(status: StatusJson | null, peer: PeerJson | null): string {
  const gpu = status?.gpus[0];
  if (gpu) return `${gpu.name.replace(/^NVIDIA (GeForce )?/, "")} ${gb(gpu.vram_total_mb)}`;
  if (!status && peer?.gpu_name) return `${peer.gpu_name} ${gb(peer.vram_total_mb ?? 0)}`;
  if (status) return `${status.cpu_cores} cores, ${gb(status.ram_total_mb)} RAM`;
  return "?";
}

function gb(mb: number): string {
  return `${Math.round(mb / 1024)} GB`;
}

function loadOf(status: StatusJson | null): SwarmRow["load"] {
  if (status === null) return null;
  const { tasks, cpu } = status.load;
  return { active: tasks.active, queued: tasks.queued, cpu_percent: cpu.usage_percent };
}

/**
 * The rows: the daemon's node first, then its peers in the order it knows them.
 *
 * @param peerStatus each reachable peer's own `/status`, by node id (null: no answer)
 */
export function swarmRows(
  self: StatusJson,
  peers: readonly PeerJson[],
  peerStatus: ReadonlyMap<string, StatusJson | null>,
  now: number,
): SwarmRow[] {
  const me: SwarmRow = {
    node_id: self.node_id,
    hostname: self.hostname,
    self: true,
    state: "alive",
    tier: self.node_tier,
    hardware: hardwareOf(self, null),
    models: self.models.map((m) => m.name),
    load: loadOf(self),
    last_seen_seconds: 0,
    address: null,
    latency_ms: null,
    version: self.version,
    other_version: false,
  };
  return [
    me,
    ...peers.map((peer) => {
      const status = peerStatus.get(peer.node_id) ?? null;
      const models = status?.models.map((m) => m.name) ?? peer.available_models;
      return {
        node_id: peer.node_id,
        hostname: peer.hostname,
        self: false,
        state: peer.state,
        tier: peer.node_tier,
        hardware: hardwareOf(status, peer),
        models,
        load: loadOf(status),
        last_seen_seconds: Math.max(0, Math.round((now - Date.parse(peer.last_seen)) / 1000)),
        address: peer.ip === null ? null : `${peer.ip}:${peer.port}`,
        latency_ms: peer.latency_ms,
        version: peer.version,
        other_version: peer.version !== null && peer.version !== self.version,
      };
    }),
  ];
}

const COLUMNS = [
  "NAME",
  "NODE",
  "HARDWARE",
  "MODELS",
  "TIER",
  "STATE",
  "LOAD",
  "LAST SEEN",
] as const;

/** The table, with a legend when a mark is used. */
export function renderSwarm(rows: readonly SwarmRow[]): string {
  const cells = rows.map((row) => [
    `${row.hostname}${row.self ? " *" : ""}${row.other_version ? " !" : ""}`,
    row.node_id,
    row.hardware,
    modelsCell(row.models),
    row.tier ?? "?",
    row.state,
    row.load === null ? "?" : `${row.load.active} run, ${row.load.queued} wait` +
      (row.load.cpu_percent === null ? "" : `, cpu ${Math.round(row.load.cpu_percent)}%`),
    row.self ? "now" : ago(row.last_seen_seconds),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join("  ") + "\n";
  let out = line(COLUMNS) + cells.map(line).join("");
  const self = rows.find((r) => r.self);
  out += `* this node (version ${self?.version})`;
  const others = rows.filter((r) => r.other_version);
  if (others.length > 0) {
    out += `; ! another version: ${others.map((r) => `${r.hostname} ${r.version}`).join(", ")}`;
  }
  return out + "\n";
}

function modelsCell(models: readonly string[]): string {
  if (models.length === 0) return "-";
  return models.length === 1 ? models[0]! : `${models[0]} +${models.length - 1}`;
}

function ago(seconds: number): string {
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
