/**
 * Configuration: defaults → config file → environment → flags, and the data paths.
 *
 * @module
 */
export * from "./config.ts";
export * from "./paths.ts";
export * from "./model_server_url.ts";
export * from "./environment.ts";
export * from "./web_settings.ts";
