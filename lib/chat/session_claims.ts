/**
 * Claims on a saved session, so that two processes sharing one home (two chats, a chat and
 * the daemon) never reflect the same messages twice. A claim is a lock file beside the
 * session, `<name>.json.lock`, created whole and atomically (written under a name of its own,
 * then hard-linked into place: the link fails when the lock exists). A chat holds its
 * session's claim while it runs; a sweep of pending sessions holds one while it reflects.
 * A claim whose process is gone (a crash) is stale and can be taken over.
 */

import process from "node:process";
import { createError } from "../core/mod.ts";

/** Why a session is claimed: an open chat, or a reflection of a pending session. */
export type ClaimPurpose = "chat" | "reflect";

/** Who holds a claim, as written in its lock file. */
export interface ClaimHolder {
  /** The holding process. */
  pid: number;
  /** The machine it runs on (a home on a shared disk may be used from several). */
  hostname: string;
  /** What it does with the session. */
  purpose: ClaimPurpose;
  /** When it claimed the session (ISO 8601). */
  at: string;
  /** Tells this claim from a later one of the same process. */
  token: string;
}

/** A claim held: release it when done (or let `using` do it). */
export interface SessionClaim extends Disposable {
  /** Removes the lock file, if it is still this claim's. Idempotent. */
  release(): void;
}

/** The outcome of {@linkcode claimSession}. */
export type ClaimResult =
  | { ok: true; claim: SessionClaim }
  | { ok: false; holder: ClaimHolder };

// A claim from another machine cannot be checked for life; after this long it is stale.
const FOREIGN_CLAIM_MS = 24 * 3600_000;
// A takeover takes a few file operations; a guard older than this was left by a crash.
const TAKEOVER_GUARD_MS = 60_000;
// Tries at making the lock: a stale one is taken over once; others may race for it meanwhile.
const TAKEOVER_ATTEMPTS = 4;

/**
 * Claims the session whose file is `sessionPath`.
 *
 * @param now the time, stamped in the claim
 * @returns the claim, or who holds it
 * @throws {MycoError} `storage_failed` when the lock file cannot be written
 */
export async function claimSession(
  sessionPath: string,
  purpose: ClaimPurpose,
  now: number,
): Promise<ClaimResult> {
  const lockPath = `${sessionPath}.lock`;
  const holder: ClaimHolder = {
    pid: Deno.pid,
    hostname: Deno.hostname(),
    purpose,
    at: new Date(now).toISOString(),
    token: crypto.randomUUID(),
  };
  const staging = `${lockPath}.${holder.token}`;
  // Counted as held from before the link: another claim of this process that reads the
  // lock the moment it is made must find it live.
  HELD_HERE.add(holder.token);
  let claimed = false;
  try {
    await Deno.mkdir(sessionPath.slice(0, sessionPath.lastIndexOf("/")) || ".", {
      recursive: true,
    });
    await Deno.writeTextFile(staging, JSON.stringify(holder));
    for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt++) {
      try {
        await Deno.link(staging, lockPath);
        claimed = true;
        return { ok: true, claim: claimOf(lockPath, holder.token) };
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      const seen = await readLock(lockPath);
      if (seen === null) continue; // released meanwhile: try again
      const current = parseHolder(seen);
      if (current !== null && isLive(current, holder, now)) return { ok: false, holder: current };
      // Stale (its process is gone) or unreadable: take it over.
      await removeStale(lockPath, seen, staging);
    }
    const current = await readHolder(lockPath);
    if (current !== null) return { ok: false, holder: current };
    throw new Error("the lock file keeps coming back");
  } catch (error) {
    throw createError(
      "storage_failed",
      `Cannot claim the session ${sessionPath}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    if (!claimed) HELD_HERE.delete(holder.token);
    await Deno.remove(staging).catch(() => {});
  }
}

/** "another chat (pid 123)": who holds a claim, for messages. */
export function describeHolder(holder: ClaimHolder): string {
  const what = holder.purpose === "chat" ? "a chat" : "a reflection";
  const where = holder.hostname === Deno.hostname() ? "" : ` on ${holder.hostname}`;
  return `${what} in another mycoswarm process (pid ${holder.pid}${where}, since ${holder.at})`;
}

/**
 * Tokens of the claims this process holds. A lock with this process's pid but another token
 * was left by an earlier process that had the same pid: in a container, every start may be
 * pid 1, so a crashed chat would otherwise hold its session forever.
 */
const HELD_HERE = new Set<string>();

function claimOf(lockPath: string, token: string): SessionClaim {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    HELD_HERE.delete(token);
    try {
      // Only our own lock: a stale one taken over by another process is theirs now.
      const current = JSON.parse(Deno.readTextFileSync(lockPath)) as Partial<ClaimHolder>;
      if (current.token === token) Deno.removeSync(lockPath);
    } catch { /* gone already */ }
  };
  return { release, [Symbol.dispose]: release };
}

/**
 * Removes the lock judged stale when it read `seen`, under a takeover guard (`.takeover`, made
 * like a lock): of two processes taking over one stale lock, the slower one would otherwise
 * remove the lock the faster one has just made, and both would hold. A process that finds the
 * guard taken leaves the takeover to its holder.
 */
async function removeStale(lockPath: string, seen: string, staging: string): Promise<void> {
  const guard = `${lockPath}.takeover`;
  try {
    await Deno.link(staging, guard);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    // A guard left by a process that crashed in the middle of a takeover goes after a while.
    const made = (await Deno.stat(guard).catch(() => null))?.mtime?.getTime();
    if (made !== undefined && Date.now() - made > TAKEOVER_GUARD_MS) {
      await Deno.remove(guard).catch(() => {});
    }
    return;
  }
  try {
    if (await readLock(lockPath) === seen) await Deno.remove(lockPath).catch(() => {});
  } finally {
    await Deno.remove(guard).catch(() => {});
  }
}

/** The lock file's text; null when there is none. */
async function readLock(lockPath: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(lockPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function readHolder(lockPath: string): Promise<ClaimHolder | null> {
  const text = await readLock(lockPath).catch(() => null);
  return text === null ? null : parseHolder(text);
}

function parseHolder(text: string): ClaimHolder | null {
  try {
    const data = JSON.parse(text) as Partial<ClaimHolder>;
    if (typeof data.pid !== "number" || typeof data.hostname !== "string") return null;
    return {
      pid: data.pid,
      hostname: data.hostname,
      purpose: data.purpose === "chat" ? "chat" : "reflect",
      at: typeof data.at === "string" ? data.at : "",
      token: typeof data.token === "string" ? data.token : "",
    };
  } catch {
    return null;
  }
}

function isLive(holder: ClaimHolder, self: ClaimHolder, now: number): boolean {
  if (holder.hostname !== self.hostname) return now - Date.parse(holder.at) < FOREIGN_CLAIM_MS;
  if (holder.pid === self.pid) return HELD_HERE.has(holder.token);
  try {
    process.kill(holder.pid, 0); // signal 0: is the process there?
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM"; // there, but another user's
  }
}
