/** `mycoswarm detect`: what this machine is and what it can do. */

import { parseCommandArgs } from "./_args.ts";
import { configFor, formatBytes, writeJson } from "./_setup.ts";
import type { CliContext, Command } from "./context.ts";
import { detectNode, type NodeIdentity } from "../node/mod.ts";

const HELP = `Usage: mycoswarm detect [--json]

Detects this machine's hardware (CPU, RAM, GPUs, disk), classifies it into a
node tier (executive, specialist, worker, light, edge), checks the model server
and lists its models with the job each would do.

Options:
  --json        print one JSON object (node_id, node_tier, gpu_tier, capabilities, gpus, models, ...)
  -h, --help    show this help

Environment:
  MYCOSWARM_TIER   override the detected tier (executive|specialist|worker|light|edge)
  OLLAMA_HOST, MYCOSWARM_LLM_URL   the model server to check
`;

export const detectCommand: Command = {
  name: "detect",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("detect", argv, { json: { type: "boolean" } });
    if (args.help) return help(ctx);
    const config = await configFor(ctx);
    const identity = await detectNode(config, ctx);
    if (args.values.json) writeJson(ctx, identity);
    else ctx.stdout.write(describe(identity));
    return 0;
  },
};

function help(ctx: CliContext): number {
  ctx.stdout.write(HELP);
  return 0;
}

/** The human-readable report. */
export function describe(node: NodeIdentity): string {
  const lines: [string, string][] = [
    ["Node", `${node.node_id} (${node.hostname}, ${node.os}/${node.arch}, v${node.version})`],
    [
      "Tier",
      `${node.node_tier}${node.tier_source === "override" ? " (set by MYCOSWARM_TIER)" : ""}` +
      ` · GPU tier ${node.gpu_tier}`,
    ],
    ["CPU", `${node.cpu_model} · ${node.cpu_cores} logical cores`],
    ["RAM", `${node.ram_total_mb} MB (${node.ram_available_mb} MB available)`],
    ["Disk", node.disk_free_mb === null ? "unknown" : `${node.disk_free_mb} MB free`],
  ];
  if (node.raspberry_pi) lines.push(["Board", node.raspberry_pi]);
  if (node.gpus.length === 0) lines.push(["GPU", "none"]);
  for (const gpu of node.gpus) {
    lines.push(["GPU", `${gpu.name} · ${gpu.vram_total_mb} MB VRAM (${gpu.vram_free_mb} MB free)`]);
  }
  lines.push(["Can do", node.capabilities.join(", ") || "nothing yet"]);
  const server = node.model_server;
  lines.push([
    "Models",
    server.reachable
      ? `${server.kind} at ${server.url}${server.version ? ` (v${server.version})` : ""}`
      : `none: ${server.error}`,
  ]);
  for (const model of node.models) {
    const roles = model.roles.length ? model.roles.join(", ") : "";
    lines.push([
      "",
      `${model.name.padEnd(28)} ${formatBytes(model.size_bytes).padStart(8)}  ${roles}`,
    ]);
  }
  for (const note of node.notes) lines.push(["Note", note]);
  return lines.map(([k, v]) => `${k.padEnd(8)}${v}`).join("\n") + "\n";
}
