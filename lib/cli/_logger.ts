/** The CLI's logger: warnings and errors to stderr, debug only with MYCOSWARM_DEBUG. */

import type { Logger, TextSink } from "../core/mod.ts";

/** A logger writing to `stderr`; debug lines only when `options.debug`. */
export function stderrLogger(stderr: TextSink, options: { debug: boolean }): Logger {
  return {
    debug: (m) => options.debug && stderr.write(`debug: ${m}\n`),
    info: (m) => stderr.write(`${m}\n`),
    warn: (m) => stderr.write(`warning: ${m}\n`),
    error: (m) => stderr.write(`error: ${m}\n`),
  };
}
