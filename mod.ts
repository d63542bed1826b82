/**
 * mycoswarm as a library: the same pieces the CLI is built from.
 *
 * ```ts
 * import { loadConfig, ModelClient } from "./mod.ts";
 * const config = await loadConfig({ env: Deno.env.toObject() });
 * const client = new ModelClient(config.llm, fetch);
 * await client.chat({ model: await client.chatModel(), messages: [{ role: "user", content: "hi" }] });
 * ```
 *
 * @module
 */
export * from "./lib/core/mod.ts";
export * from "./lib/config/mod.ts";
export * from "./lib/hardware/mod.ts";
export * from "./lib/llm/mod.ts";
export * from "./lib/node/mod.ts";
export * from "./lib/chat/mod.ts";
export * from "./lib/store/mod.ts";
export * from "./lib/search/mod.ts";
export * from "./lib/memory/mod.ts";
export * from "./lib/intent/mod.ts";
export * from "./lib/web/mod.ts";
export * from "./lib/discovery/mod.ts";
export * from "./lib/orchestrator/mod.ts";
export * from "./lib/api/mod.ts";
export * from "./lib/daemon/mod.ts";
export * from "./lib/cli/mod.ts";
