/**
 * Shared kernel: the error table and the injected seams every area uses.
 *
 * @module
 */
export { createError, ERROR_CODES, isMycoError, MycoError } from "./errors.ts";
export type { ErrorCode, ErrorOptions } from "./errors.ts";
export { silentLogger, systemClock } from "./deps.ts";
export type {
  Clock,
  CommandResult,
  CommandRunner,
  Deps,
  Fetch,
  Logger,
  SystemInfo,
  TextFileReader,
  TextSink,
} from "./deps.ts";
export { systemTimers } from "./timers.ts";
export type { Timers } from "./timers.ts";
export { seededRandom } from "./random.ts";
export { toHex } from "./hex.ts";
export { networkContains, parseCidr, parseIpAddress, parseIpv4, parseIpv6 } from "./ip_network.ts";
export type { IpNetwork } from "./ip_network.ts";
export { VERSION } from "./version.ts";
export { redactUrl } from "./redact_url.ts";
export { writeFileAtomic } from "./atomic_write.ts";
export type { WriteFileAtomicOptions } from "./atomic_write.ts";
export {
  invalidField,
  optionalInteger,
  optionalNumber,
  optionalString,
  optionalStrings,
  requireOne,
} from "./validate.ts";
export type { FieldOptions, JsonFields, RangeOptions } from "./validate.ts";
