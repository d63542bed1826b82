/**
 * Self-correction: pure rules that keep memories (claims of past sessions) from overriding
 * the user's documents or from reinforcing each other.
 *
 * - {@linkcode findValueContradictions}: a remembered claim that states another time, number,
 *   version or size than a document in the same statement is dropped — documents win.
 * - {@linkcode findPoisonedClaims}: an unverified claim whose missing value or name another
 *   session's unverified claim also has is quarantined, with that one.
 */

import { contentKeys, extractValues } from "./claim_values.ts";
import { sameValueKey } from "./value_aliases.ts";
import { splitSentences } from "./grounding.ts";

/** Sessions an unverified value must recur in (counting the new one) to be quarantined. */
export const POISON_MIN_SESSIONS = 2;
/** Content words a claim and a document sentence must share to be "the same statement". */
export const SAME_STATEMENT_MIN_SHARED = 2;
/** Share of the shorter one's content words they must share to be "the same statement". */
export const SAME_STATEMENT_MIN_OVERLAP = 0.6;

/** A remembered claim that a document contradicts by value. */
export interface ValueContradiction {
  /** The claim dropped. */
  claimId: number;
  /** The document passage that says otherwise. */
  documentId: number;
  /** The claim's value ("05:00"). */
  value: string;
  /** What the document says instead ("02:00"). */
  documentValue: string;
}

/**
 * Finds remembered claims that a document contradicts by value, whatever their session's
 * score: a document sentence that makes the same statement (at least 2 content words shared,
 * and 60% of the shorter one's) with a value of the same kind — time, date, version, size,
 * number — but not the claim's value. "Backups run at 05:00" yields to "The backups run at
 * 02:00"; names need not be there. The document wins: the claim is dropped from the prompt.
 *
 * @param claims Claims about to be recalled.
 * @param documents Document passages that can vouch or disagree.
 * @returns One entry per contradicted claim.
 */
export function findValueContradictions(
  claims: readonly { id: number; text: string }[],
  documents: readonly { id: number; text: string }[],
): ValueContradiction[] {
  const sentences = documents.flatMap((d) =>
    splitSentences(d.text).map((s) => ({
      id: d.id,
      text: s,
      words: contentKeys(s),
      values: extractValues(s),
    }))
  );
  const found: ValueContradiction[] = [];
  for (const claim of claims) {
    const words = contentKeys(claim.text);
    const values = extractValues(claim.text).filter((v) => COMPARABLE.has(v.kind));
    const hit = sentences.flatMap((s) => {
      const shared = [...s.words].filter((w) => words.has(w)).length;
      const same = shared >= SAME_STATEMENT_MIN_SHARED &&
        shared / Math.min(words.size, s.words.size) >= SAME_STATEMENT_MIN_OVERLAP;
      if (!same) return [];
      return values.flatMap((v) => {
        const theirs = s.values.filter((o) =>
          o.kind === v.kind &&
          (v.kind !== "number" || sharesNeighbour(claim.text, v.text, s.text, o.text))
        );
        if (theirs.length === 0 || theirs.some((o) => sameValueKey(o.key, v.key))) return [];
        return [{
          claimId: claim.id,
          documentId: s.id,
          value: v.text,
          documentValue: theirs[0]!.text,
        }];
      });
    })[0];
    if (hit) found.push(hit);
  }
  return found;
}

const COMPARABLE = new Set(["time", "date", "version", "size", "number"]);

/**
 * True when a bare number in each sentence stands next to the same content word ("port 5432"
 * and "port 5433", "Postgres 15" and "Postgres 16"): a bare number has no unit to say what it
 * counts, so without a shared neighbour "port 5432" and "released in 2023" are not compared.
 */
function sharesNeighbour(mine: string, value: string, theirs: string, other: string): boolean {
  const own = neighbours(mine, value);
  return [...neighbours(theirs, other)].some((w) => own.has(w));
}

/** The content words (as keys) just before and just after `value` in `sentence`. */
function neighbours(sentence: string, value: string): Set<string> {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const at = sentence.search(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{N}])`, "u"));
  if (at < 0) return new Set();
  const before = [...contentKeys(sentence.slice(0, at)).values()].at(-1);
  const after = [...contentKeys(sentence.slice(at + value.length)).values()][0];
  return new Set([before, after].filter((w) => w !== undefined));
}

/** What {@linkcode findPoisonedClaims} found. */
export interface PoisonedClaims {
  /** Positions of the new reflection's claims to quarantine. */
  positions: number[];
  /** Ids of earlier stored claims to quarantine with them. */
  ids: number[];
  /** The recurring values and names ("name:zorblax"). */
  keys: string[];
}

/**
 * Finds poison loops as they form: a new unverified claim whose missing value or name (never
 * found in its session's evidence) is also missing from an unverified claim of another
 * session. Both are quarantined, however true the rest of either session is. Only what never
 * came up counts: a topic the user talked about (Kubernetes, with no document about it) is
 * found in the user's words, so it is never poison by that alone. Restored claims are not in
 * `earlier` (see ClaimsRepo.unverified), so a restore sticks; only words-only misses
 * ("word:…") are too vague to count.
 *
 * @param claims The new reflection's claims with their verdicts.
 * @param earlier Stored unverified claims of earlier sessions, not restored.
 */
export function findPoisonedClaims(
  claims: readonly { position: number; grounded: boolean; missing: readonly string[] }[],
  earlier: readonly { id: number; episode_id: number; missing: readonly string[] }[],
): PoisonedClaims {
  const positions = new Set<number>();
  const ids = new Set<number>();
  const keys = new Set<string>();
  for (const claim of claims) {
    if (claim.grounded) continue;
    for (const key of claim.missing) {
      if (key.startsWith("word:")) continue;
      const repeats = earlier.filter((e) => e.missing.includes(key));
      if (new Set(repeats.map((e) => e.episode_id)).size + 1 < POISON_MIN_SESSIONS) continue;
      positions.add(claim.position);
      keys.add(key);
      for (const e of repeats) ids.add(e.id);
    }
  }
  return { positions: [...positions], ids: [...ids], keys: [...keys] };
}
