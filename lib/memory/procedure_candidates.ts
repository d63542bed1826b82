/**
 * Procedure candidates: problem → solution pairs proposed from a reflection's lessons, for
 * procedural memory (retrieved when the user wants something done). Pure; the caller stores
 * them.
 */

import { jaccard } from "./_jaccard.ts";

/** A problem and what solved it. */
export interface ProcedureCandidate {
  /** The problem the lesson was about, to match future questions. */
  problem: string;
  /** What solved it. */
  solution: string;
}

/** At most this many candidates per reflection (mycoSwarm's limit): lessons are few and noisy. */
export const MAX_PROCEDURE_CANDIDATES = 3;
/** Problems whose word sets overlap this much (Jaccard) are the same problem (mycoSwarm's 0.6). */
export const PROCEDURE_DUPLICATE_JACCARD = 0.6;

/** A label a model puts before a lesson ("Lesson: ..."), dropped before reading it. */
const LABEL =
  /^(lesson( learned)?|learned|tip|note|(key )?takeaway|insight|important|remember)\s*:\s*/i;

/**
 * Lesson shapes, tried in order; each gives [problem, solution]:
 * - "When/Whenever/If X, (then) Y" and "When/If X then Y": X is the situation, Y what to do.
 * - "To X, Y": X is the goal ("To fix the build, clear the cache").
 * - "X → Y" or "X -> Y".
 * - "X: Y" with X of 2 to 10 words and a space after the colon (not "10:30" or a URL).
 * Lessons of other shapes ("Tests matter") are not procedures and are skipped.
 */
const SHAPES: ((lesson: string) => [string, string] | null)[] = [
  (s) => pair(/^(?:when(?:ever)?|if)\s+(.+?)\s*,\s*(?:then\s+)?(.+)$/is.exec(s)),
  (s) => pair(/^(?:when(?:ever)?|if)\s+(.+?)\s+then\s+(.+)$/is.exec(s)),
  (s) => pair(/^to\s+(.+?)\s*,\s*(.+)$/is.exec(s)),
  (s) => pair(/^(.+?)\s*(?:→|->)\s*(.+)$/s.exec(s)),
  (s) => {
    const match = /^([^:]+?)\s*:\s+(.+)$/s.exec(s);
    const words = (match?.[1] ?? "").split(/\s+/).length;
    if (match === null || words < 2 || words > 10) return null;
    return pair(match);
  },
];

function pair(match: RegExpExecArray | null): [string, string] | null {
  const problem = match?.[1]?.trim().replace(/[\s.,;:!]+$/, "") ?? "";
  const solution = match?.[2]?.trim() ?? "";
  return problemWords(problem).size > 0 && /\p{L}{3}/u.test(solution) ? [problem, solution] : null;
}

/** Reads one lesson as a candidate, or null when it has none of the shapes. */
export function procedureFromLesson(lesson: string): ProcedureCandidate | null {
  const text = lesson.trim().replace(/^([-*•]|\d+[.)])\s+/u, "").replace(LABEL, "");
  for (const shape of SHAPES) {
    const found = shape(text);
    if (found !== null) return { problem: found[0], solution: found[1] };
  }
  return null;
}

/** The lowercased words of 3+ letters or digits of a problem, as a set. */
export function problemWords(problem: string): Set<string> {
  return new Set(problem.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
}

/**
 * Proposes procedures from lessons: each lesson read by {@linkcode procedureFromLesson}; a
 * candidate whose problem words overlap an existing procedure's, or an earlier candidate's, by
 * Jaccard ≥ 0.6 is a near duplicate and merged into it (the earlier one stays as it is).
 *
 * @param lessons The reflection's lessons, in order.
 * @param existing The procedures already stored.
 * @returns At most 3 new candidates, in lesson order.
 *
 * @example
 * ```ts
 * proposeProcedures(["When Ollama hangs, restart it with `ollama serve`."], []);
 * // [{ problem: "Ollama hangs", solution: "restart it with `ollama serve`." }]
 * ```
 */
export function proposeProcedures(
  lessons: readonly string[],
  existing: readonly { problem: string }[],
): ProcedureCandidate[] {
  const known = existing.map((p) => problemWords(p.problem));
  const proposed: ProcedureCandidate[] = [];
  for (const lesson of lessons) {
    if (proposed.length >= MAX_PROCEDURE_CANDIDATES) break;
    const candidate = procedureFromLesson(lesson);
    if (candidate === null) continue;
    const words = problemWords(candidate.problem);
    if (known.some((k) => jaccard(k, words) >= PROCEDURE_DUPLICATE_JACCARD)) continue;
    known.push(words);
    proposed.push(candidate);
  }
  return proposed;
}
