/**
 * Progress for long work: a live bar (cli-progress) on a terminal, plain lines
 * otherwise so logs and CI output stay readable. Always on stderr: stdout is
 * for results.
 */

import cliProgress from "cli-progress";
import type { CliContext } from "./context.ts";

/** A running progress display. */
export interface Progress {
  /** Sets the position; `fields` fill the bar's text (e.g. the current file). */
  update(value: number, fields?: Record<string, string | number>): void;
  /** A message line that should not be overwritten by the bar. */
  log(line: string): void;
  stop(): void;
}

/**
 * Starts a progress display for `total` units.
 *
 * @param format cli-progress format, e.g. "{bar} {value}/{total} files | {chunks} chunks"
 */
export function startProgress(
  ctx: CliContext,
  total: number,
  options: { format: string; plainEvery?: number; fields?: Record<string, string | number> },
): Progress {
  if (!ctx.isTerminal.stderr) return plainProgress(ctx, total, options.plainEvery ?? 1);
  const bar = new cliProgress.SingleBar({
    format: options.format,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, options.fields ?? {});
  return {
    update: (value, fields) => bar.update(value, fields ?? {}),
    log: (line) => {
      // Clear the bar's line, print, and let the next update redraw it.
      process.stderr.write(`\r\x1b[2K${line}\n`);
    },
    stop: () => bar.stop(),
  };
}

function plainProgress(ctx: CliContext, total: number, every: number): Progress {
  let last = -1;
  return {
    update(value, fields) {
      if (value === last || (value % every !== 0 && value !== total)) return;
      last = value;
      const extra = fields ? Object.entries(fields).filter(([, v]) => v !== "") : [];
      ctx.stderr.write(
        `[${value}/${total}]${extra.map(([k, v]) => ` ${k}: ${v}`).join(",")}\n`,
      );
    },
    log: (line) => ctx.stderr.write(`${line}\n`),
    stop() {},
  };
}
