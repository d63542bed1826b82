/**
 * What a stored episode contributes to recall, claim by claim: grounded claims (and those the
 * user restored) are memory; unverified and quarantined ones are held back, with the reason.
 *
 * Episodes stored before claims existed (schema < 3) have no claim rows: their summary
 * sentences, decisions and lessons are read as claims carrying the old session score's
 * verdict — grounded when it was at least {@linkcode LEGACY_GROUNDED}, held back otherwise.
 * They are not re-split at migration, so nothing about them changes on disk.
 */

import type { Episode, NewClaim } from "../store/mod.ts";
import { splitClaims } from "./claims.ts";

/** The old session grounding at or above which an old episode's claims count as grounded. */
export const LEGACY_GROUNDED = 0.5;

/** One claim of a stored episode, as recall sees it. */
export interface EpisodeClaim {
  /** How the user names it: "c12" (a claim) or "s3.1" (sentence 1 of old session 3). */
  ref: string;
  /** The stored claim's id; null for an old episode's claim. */
  id: number | null;
  /** Which part of the reflection it comes from. */
  kind: "summary" | "decision" | "lesson" | "surprise";
  /** What it says. */
  text: string;
  /** True when it may be put in a prompt: grounded and not quarantined, or restored. */
  recalled: boolean;
  /** Why it is held back ("Zorblax never came up"), or what supports it ("supported by memory
   * #c3"); "" when its own session's evidence does. */
  reason: string;
}

/**
 * The claims of `episode`, in reflection order.
 *
 * @example
 * ```ts
 * claimsOf(episode).filter((c) => c.recalled).map((c) => c.text);
 * ```
 */
export function claimsOf(episode: Episode): EpisodeClaim[] {
  if (episode.claims.length > 0) {
    return episode.claims.map((c) => {
      const recalled = c.restored || (c.grounded && !c.quarantined);
      const reason = recalled
        ? c.reason
        : c.quarantined
        ? `quarantined: ${c.reason || "repeats other sessions' unverified claims"}`
        : c.reason;
      return { ref: `c${c.id}`, id: c.id, kind: c.kind, text: c.text, recalled, reason };
    });
  }
  const grounded = episode.grounding >= LEGACY_GROUNDED && !episode.quarantined;
  const percent = Math.round(episode.grounding * 100);
  return splitClaims(episode).claims.map((c) => ({
    ref: `s${episode.id}.${c.position}`,
    id: null,
    kind: c.kind,
    text: c.text,
    recalled: grounded,
    reason: grounded ? "" : `stored before claim checks; its session scored ${percent}%`,
  }));
}

/** The reason stored with the claims of an old episode the user vouched for. */
const VOUCHED_REASON = "restored by you (stored before claim checks)";

/**
 * The claims of an episode stored before claims existed, as rows to store when the user
 * restores the session: it is vouched for whole, so each is written and then restored.
 */
export function vouchedClaims(episode: Episode): NewClaim[] {
  return splitClaims(episode).claims.map((c) => ({
    kind: c.kind,
    position: c.position,
    text: c.text,
    grounded: false,
    reason: VOUCHED_REASON,
    missing: [],
    quarantined: false,
  }));
}
