/**
 * Claim grounding: each claim of a reflection is checked on its own against the evidence —
 * what the user said, documents and web results retrieved in the session, tool output. Every
 * value a claim states (numbers with units, times, dates, versions, quoted phrases, names)
 * must be found there; a claim without values must share at least half of its content words.
 *
 * Recalled memories are NOT evidence: a value found only in a recalled memory claim makes the
 * claim inherit that memory's standing — grounded ("supported by memory #12") when the memory
 * claim was grounded, unverified otherwise — so repeating an invention never grounds it.
 */

import {
  buildEvidence,
  type ClaimValue,
  contentKeys,
  type Evidence,
  extractValues,
  saidInstead,
  valueFound,
} from "./claim_values.ts";
import { type Claim, type ReflectionParts, splitClaims } from "./claims.ts";
import { round4 } from "./grounding.ts";

/** A claim grounded share of whose content words makes it grounded (no values to check). */
export const CLAIM_WORDS_MIN = 0.5;

/** A recalled memory claim, shown to the model in the session: not evidence, a standing. */
export interface MemoryClaim {
  /** How the user names it: "c12" for a claim, "s3" for a session stored before claims. */
  ref: string;
  /** What it says. */
  text: string;
  /** Its verdict when it was stored (or restored by the user). */
  grounded: boolean;
}

/** A claim and its verdict. */
export interface ClaimVerdict extends Claim {
  /** True when the evidence (or a grounded memory claim) supports every value. */
  grounded: boolean;
  /** False for a claim with nothing to check ("Good session."): not counted in the score. */
  checked: boolean;
  /** Why: "Zorblax never came up", "05:00 never came up; 02:00 was said", "supported by memory #c3". */
  reason: string;
  /** Keys of the values (or words) never found, for poison-loop detection ("name:zorblax"). */
  missing: string[];
}

/** A reflection's claims with their verdicts. */
export interface ReflectionVerdict {
  /** Share of checked claims that are grounded, 4 decimals; 1 with nothing to check. */
  score: number;
  /** Every claim, in order. */
  claims: ClaimVerdict[];
  /** Claims cut by the size caps. */
  cut: number;
  /** True when at least one claim is grounded: the episode is indexed for recall. */
  indexed: boolean;
}

/**
 * Checks one claim.
 *
 * @param claim The claim.
 * @param evidence The session's evidence, from {@linkcode buildEvidence}.
 * @param memories Memory claims recalled in the session (not evidence; see the module doc).
 */
export function groundClaim(
  claim: Claim,
  evidence: Evidence,
  memories: readonly MemoryClaim[] = [],
): ClaimVerdict {
  const values = extractValues(claim.text);
  if (values.length > 0) return byValues(claim, values, evidence, memories);
  const words = [...contentKeys(claim.text)];
  if (words.length === 0) {
    return { ...claim, grounded: true, checked: false, reason: "", missing: [] };
  }
  const missing = words.filter((w) => !evidence.wordKeys.has(w));
  if ((words.length - missing.length) / words.length >= CLAIM_WORDS_MIN) {
    return { ...claim, grounded: true, checked: true, reason: "", missing: [] };
  }
  const memory = memories.find((m) => {
    const keys = contentKeys(m.text);
    return words.filter((w) => evidence.wordKeys.has(w) || keys.has(w)).length / words.length >=
      CLAIM_WORDS_MIN;
  });
  if (memory) return inherited(claim, memory, missing.map((w) => `word:${w}`), "its words");
  return {
    ...claim,
    grounded: false,
    checked: true,
    reason: "its words never came up",
    missing: missing.map((w) => `word:${w}`),
  };
}

function byValues(
  claim: Claim,
  values: readonly ClaimValue[],
  evidence: Evidence,
  memories: readonly MemoryClaim[],
): ClaimVerdict {
  const notFound = values.filter((v) => !valueFound(v, evidence));
  // A sentence-opening word is a name unless it is grammar ("Vextor now caches Redis" fails
  // on Vextor); when other values are missing too, only those are named.
  const strict = notFound.filter((v) => !v.initial);
  const missing = strict.length > 0 ? strict : notFound;
  if (missing.length === 0) {
    return { ...claim, grounded: true, checked: true, reason: "", missing: [] };
  }
  // Only the missing values are named, but a sentence-opening name missing too is kept among
  // the keys: an invented name that opens its sentence still forms a poison loop.
  const keys = notFound.map((v) => v.key);
  const memory = memories.find((m) => {
    const own = buildEvidence([m.text]);
    return missing.every((v) => valueFound(v, own));
  });
  const named = missing.map((v) => v.text).join(", ");
  if (memory) return inherited(claim, memory, keys, named);
  const instead = missing.flatMap((v) => saidInstead(claim.text, v, evidence));
  const reason = `${named} never came up` +
    (instead.length > 0 ? `; ${[...new Set(instead)].join(", ")} was said` : "");
  return { ...claim, grounded: false, checked: true, reason, missing: keys };
}

function inherited(claim: Claim, memory: MemoryClaim, keys: string[], what: string): ClaimVerdict {
  return memory.grounded
    ? {
      ...claim,
      grounded: true,
      checked: true,
      reason: `supported by memory #${memory.ref}`,
      missing: [],
    }
    : {
      ...claim,
      grounded: false,
      checked: true,
      reason: `${what} never came up (only in unverified memory #${memory.ref})`,
      missing: keys,
    };
}

/**
 * Splits a reflection into claims (see claims.ts) and checks each one.
 *
 * @param reflection The summary, decisions, lessons and surprises.
 * @param evidence What the user said; documents, web results and tool output of the session.
 * @param memories Memory claims recalled during the session: they lend their standing only.
 * @returns Each claim's verdict, the share grounded, and whether to index the episode.
 *
 * @example
 * ```ts
 * groundReflection(
 *   { summary: "Discussed backup retention. Decided to keep seven daily archives." },
 *   ["keep 7 daily archives of the backup retention"],
 * ).score; // 1
 * ```
 */
export function groundReflection(
  reflection: ReflectionParts,
  evidence: readonly string[],
  memories: readonly MemoryClaim[] = [],
): ReflectionVerdict {
  const { claims, cut } = splitClaims(reflection);
  const prepared = buildEvidence(evidence);
  const verdicts = claims.map((c) => groundClaim(c, prepared, memories));
  const checked = verdicts.filter((c) => c.checked);
  const grounded = checked.filter((c) => c.grounded).length;
  return {
    score: checked.length === 0 ? 1 : round4(grounded / checked.length),
    claims: verdicts,
    cut,
    indexed: verdicts.some((c) => c.grounded && c.checked) ||
      (checked.length === 0 && verdicts.length > 0),
  };
}
