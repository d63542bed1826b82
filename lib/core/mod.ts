/**
 * Shared kernel: the error table and the injected seams every area uses.
 *
 * @module
 */
export * from "./errors.ts";
export * from "./deps.ts";
export * from "./version.ts";
export * from "./random.ts";
export * from "./hex.ts";
export * from "./timers.ts";
export * from "./atomic_write.ts";
export * from "./validate.ts";
