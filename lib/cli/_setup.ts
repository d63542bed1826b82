/** Builds what most commands need from the CLI context: config, model client, probe seams. */

import { type Config, type ConfigFlags, loadConfig } from "../config/mod.ts";
import { ModelClient } from "../llm/mod.ts";
import type { CliContext } from "./context.ts";

/** Loads the config with the command's flags on top. */
export function configFor(ctx: CliContext, flags: ConfigFlags = {}): Promise<Config> {
  return loadConfig({ env: ctx.env, flags });
}

/** A model client for the configured server. */
export function modelClientFor(config: Config, ctx: CliContext): ModelClient {
  return new ModelClient(config.llm, ctx.fetch);
}

/** Writes a value as pretty JSON plus a newline. */
export function writeJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Formats bytes for people: "815 MB", "9.0 GB". */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return "";
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.round(bytes / 1e6)} MB`;
}
