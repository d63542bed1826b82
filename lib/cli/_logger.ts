/** The CLI's logger: warnings and errors to stderr, debug only with MYCOSWARM_DEBUG. */

import type { Logger } from "../core/mod.ts";
import type { CliContext } from "./context.ts";

/** A logger writing to the context's stderr. */
export function systemLogger(ctx: CliContext): Logger {
  const debug = Boolean(ctx.env.MYCOSWARM_DEBUG);
  return {
    debug: (m) => debug && ctx.stderr.write(`debug: ${m}\n`),
    info: (m) => ctx.stderr.write(`${m}\n`),
    warn: (m) => ctx.stderr.write(`warning: ${m}\n`),
    error: (m) => ctx.stderr.write(`error: ${m}\n`),
  };
}
