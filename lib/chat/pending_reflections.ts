/**
 * Pending sessions — those whose reflection failed (the model server was down) or never ran
 * (the chat was stopped) — listed for `memory --pending` and reflected by a sweep: at the end
 * of `chat` and `ask` (after the answers, so the user never waits for it) and by the daemon's
 * upkeep. Each is claimed first ({@linkcode claimSession}), so a session open in a chat, or
 * swept by another process at the same moment, is left alone: no messages are reflected twice.
 */

import { isMycoError } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import { ChatSession } from "./chat_session.ts";
import type { TurnContext } from "./pipeline.ts";
import { pendingOf, type PendingSession, retryAt } from "./reflection_state.ts";
import { claimSession } from "./session_claims.ts";
import { endSession, type SessionEnd, sessionGrounding } from "./session_end.ts";
import type { Transcript, TranscriptStore } from "./transcripts.ts";

/** What a sweep needs. */
export interface PendingSweepOptions {
  /** The sessions folder. */
  transcripts: TranscriptStore;
  /** Reflects (its chat model, or the session's own when still installed). */
  client: ModelClient;
  /** Memory; each session reflected gets a fork of it. */
  turns: TurnContext;
  /** Sessions this process has open, or leaves to another (the CLI leaves `api-*` to the daemon). */
  skip?: (name: string) => boolean;
  /** Told of each reflection as it starts, so a request for that session can wait for it. */
  onReflect?: (name: string, done: Promise<unknown>) => void;
  /** Sessions reflected in one sweep, at most; the rest wait for the next. @default 5 */
  limit?: number;
}

/** What became of one pending session. */
export interface PendingOutcome {
  /** The session's name. */
  name: string;
  /** Its first unreflected message. */
  from: number;
  /** The reflection (failed or not), or null when nothing was left to reflect on. */
  end: SessionEnd | null;
}

/** The pending sessions of a sessions folder, oldest first; damaged files are left out. */
export async function pendingSessions(transcripts: TranscriptStore): Promise<PendingSession[]> {
  const found: { pending: PendingSession; updated: string }[] = [];
  for (const read of await transcripts.readAll()) {
    if (!("transcript" in read)) continue; // damaged: `chat --list` says so
    const pending = pendingOf(read.transcript);
    if (pending) found.push({ pending, updated: read.transcript.updated });
  }
  return found.sort((a, b) => a.updated.localeCompare(b.updated)).map((f) => f.pending);
}

/**
 * Reflects pending sessions, each whole from its first unreflected message. Stops at the
 * first failure (the model server is likely down: the rest wait for the next sweep, and
 * the failed one records why). A session that failed before waits out its retry delay
 * ({@linkcode retryAt}).
 */
export async function reflectPending(options: PendingSweepOptions): Promise<PendingOutcome[]> {
  if (options.turns.store === null) return [];
  const outcomes: PendingOutcome[] = [];
  const now = options.turns.clock.now();
  for (const pending of await pendingSessions(options.transcripts)) {
    const { name } = pending;
    if (outcomes.length >= (options.limit ?? 5)) break;
    if (options.skip?.(name) || retryAt(pending) > now) continue;
    // Said before the first wait, so nothing can open the session between the two.
    const work = reflectOne(name, options);
    options.onReflect?.(name, work.catch(() => {}));
    const outcome = await work;
    if (outcome === null) continue;
    outcomes.push(outcome);
    if (outcome.end !== null && !outcome.end.episode.ok) break;
  }
  return outcomes;
}

/** Claims, reads again and reflects one session; null when it was not (or no longer) pending. */
async function reflectOne(
  name: string,
  { transcripts, client, turns }: PendingSweepOptions,
): Promise<PendingOutcome | null> {
  const claimed = await claimSession(transcripts.pathOf(name), "reflect", turns.clock.now());
  if (!claimed.ok) return null; // open in a chat, or another process reflects it now
  using _claim = claimed.claim;
  // Read again under the claim: another process may have reflected it meanwhile.
  const transcript = await loadQuietly(transcripts, name);
  const pending = transcript && pendingOf(transcript);
  if (!pending) return null;
  const model = await client.chatModel(transcript.model || null).catch(() => client.chatModel());
  const session = new ChatSession({ ...transcript, model }, {
    client,
    store: transcripts,
    clock: turns.clock,
    turns: turns.fork(),
  }, { runStart: pending.first_unreflected });
  return { name, from: pending.first_unreflected, end: await endSession(session, client) };
}

/**
 * One line saying what a sweep did, or null when it did nothing, e.g.
 * `Pending sessions: chat-a reflected (from message 1, grounding 80%).`
 */
export function describePendingSweep(outcomes: readonly PendingOutcome[]): string | null {
  const said = outcomes.filter((o) => o.end !== null).map(({ name, from, end }) => {
    const episode = end!.episode;
    return episode.ok
      ? `${name} reflected (from message ${from + 1}, grounding ${
        Math.round(sessionGrounding(end!) * 100)
      }%)`
      : `${name} failed: ${episode.error}; it stays pending`;
  });
  return said.length === 0 ? null : `Pending sessions: ${said.join("; ")}.`;
}

async function loadQuietly(transcripts: TranscriptStore, name: string): Promise<Transcript | null> {
  try {
    return await transcripts.load(name);
  } catch (error) {
    if (isMycoError(error)) return null; // damaged: `chat --list` says so
    throw error;
  }
}
