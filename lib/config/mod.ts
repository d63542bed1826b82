/**
 * Configuration: defaults → config file → environment → flags, and the data paths.
 *
 * @module
 */
export { loadConfig } from "./config.ts";
export type { Config, ConfigFlags, ConfigSources, LlmKind } from "./config.ts";
export type { DataPaths } from "./paths.ts";
export type { ApiSettings } from "./api_settings.ts";
export { readEnvironment } from "./environment.ts";
export { clockFromEnvironment, TEST_CLOCK_VARIABLE } from "./test_clock.ts";
export { WEB_PROVIDER_NAMES } from "./web_settings.ts";
export type { WebProviderName, WebSettings } from "./web_settings.ts";
