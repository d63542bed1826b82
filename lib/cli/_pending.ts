/** Pending reflections in the CLI: a chat's claim on its session, and the sweep after answers. */

import { createError, isMycoError, type TextSink } from "../core/mod.ts";
import {
  claimSession,
  describeHolder,
  describePendingSweep,
  reflectPending,
  type SessionClaim,
  type TranscriptStore,
  type TurnContext,
} from "../chat/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import type { CliContext } from "./context.ts";

/** How often a chat looks again whether a reflection of its session has finished. */
const CLAIM_POLL_MS = 250;
/** How long a chat waits for another process's reflection of its session. */
const CLAIM_WAIT_MS = 5 * 60_000;

const NO_CLAIM: SessionClaim = { release() {}, [Symbol.dispose]() {} };

/**
 * Claims session `name` for a chat, waiting while another process reflects it (its messages
 * are then read after that reflection, so none is reflected twice).
 *
 * @throws {MycoError} `usage` when a chat in another process has the session open
 */
export async function claimForChat(
  transcripts: TranscriptStore,
  name: string,
  ctx: Pick<CliContext, "clock" | "timers" | "stderr">,
): Promise<SessionClaim> {
  const started = ctx.clock.now();
  let told = false;
  while (true) {
    const claimed = await claimSession(transcripts.pathOf(name), "chat", ctx.clock.now())
      .catch((error) => {
        // A sessions folder nobody can write to: the chat still answers, and each failed
        // save says so; with nothing saved, there is nothing to keep apart.
        if (isMycoError(error, "storage_failed")) return { ok: true as const, claim: NO_CLAIM };
        throw error;
      });
    if (claimed.ok) return claimed.claim;
    if (claimed.holder.purpose === "chat") {
      throw createError(
        "usage",
        `Session ${name} is open in ${describeHolder(claimed.holder)}`,
        {
          hint: "Leave that chat first, or open another session (--session NAME). If no chat " +
            `has it open (one crashed), remove ${transcripts.pathOf(name)}.lock`,
        },
      );
    }
    if (ctx.clock.now() - started > CLAIM_WAIT_MS) {
      throw createError(
        "storage_failed",
        `Session ${name} is held by ${describeHolder(claimed.holder)}`,
      );
    }
    if (!told) {
      ctx.stderr.write(
        `Waiting for ${describeHolder(claimed.holder)} to finish with session ${name}...\n`,
      );
    }
    told = true;
    await new Promise<void>((resolve) => ctx.timers.setTimeout(resolve, CLAIM_POLL_MS));
  }
}

/**
 * Reflects this home's pending chat sessions (not the daemon's `api-*` ones, which its
 * own sweep reflects) and says so in one line on `err`.
 */
export async function sweepPending(
  transcripts: TranscriptStore,
  client: ModelClient,
  turns: TurnContext,
  err: TextSink,
): Promise<void> {
  try {
    const outcomes = await reflectPending({
      transcripts,
      client,
      turns,
      skip: (name) => name.startsWith("api-"),
    });
    const line = describePendingSweep(outcomes);
    if (line !== null) err.write(`${line}\n`);
  } catch (error) {
    // The answer is given already: a sweep that cannot run waits for the next start.
    err.write(`Pending sessions not reflected: ${(error as Error).message}\n`);
  }
}
