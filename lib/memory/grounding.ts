/**
 * Grounding: how much of what a session reflection says can be found in what the user said
 * and in the context retrieved during the session. A reflection is the model's account of a
 * conversation; names it cannot point back to are where invented memories start.
 *
 * Two measures, combined by {@linkcode reflectionGrounding}:
 * - the term score (mycoSwarm's `compute_grounding_score`): the share of the summary's terms
 *   (capitalised words, quoted phrases) found in the evidence;
 * - the claim score: the share of claims (sentences, decisions, lessons) whose own terms are
 *   all found, so one invented claim among nine true ones does not hide in an average.
 */

/** Below this final grounding an episode is stored but never indexed for retrieval. */
export const INDEX_MIN_GROUNDING = 0.3;
/** Below this grounding an episode is "low": documents win against it, it can be quarantined. */
export const LOW_GROUNDING = 0.5;
/** A claim without capitalised terms is grounded when this share of its words is in evidence. */
export const CLAIM_WORDS_MIN = 0.5;

/**
 * Sentence-initial words that are never names: function words, discourse adverbs, and the
 * speaker labels summaries start with. Capitalised only for the grammar, they would count as
 * found almost always ("the") or never ("User"), so they are skipped at a sentence start only.
 * Content words at a sentence start stay terms, as in mycoSwarm ("Kubernetes was..." must
 * count) — and so does "Discussed": the reference's published value for "Discussed Python and
 * Kubernetes deployment" (1/3) counts it. The per-claim check drops such verbs instead.
 */
const STARTERS = new Set(
  ("the this that these those there then they them their our we you your she his her its and " +
    "but also both each for from with when while after before here what which who how why " +
    "where however overall additionally finally today yesterday user assistant")
    .split(" "),
);

/** Sentence-initial verbs a summary opens a claim with; not names ("Discussed", "Built"). */
const VERB_OPENER = new RegExp(
  String.raw`^(\p{L}{3,}(ed|ing)|built|chose|found|made|ran|set|wrote|got|gave|took|saw|went|` +
    "kept|spent|began)$",
  "iu",
);

/** Function words and summary vocabulary that say nothing about what was discussed. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  ("a about after all also an and any are as at be because been before being but by can could " +
    "did do does doing for from had has have he her his how i if in into is it its just me more " +
    "most my no not now of on one only or other our out over she should so some such than that " +
    "the their them then there these they this those through to too up very was we were what " +
    "when where which while who why will with would you your user assistant session " +
    "conversation discussed discuss talked asked explained mentioned decided wanted noted")
    .split(" "),
);

const PUNCTUATION = "[.,;:!?\"'()\\-\\[\\]{}*`“”‘’«»]+";
const EDGE_PUNCTUATION = new RegExp(`^${PUNCTUATION}|${PUNCTUATION}$`, "gu");

/** A token without the punctuation around it (mycoSwarm's `.,;:!?"'()-`, brackets, curly
 * quotes) and without a possessive 's. */
export function stripWord(token: string): string {
  return token.replace(EDGE_PUNCTUATION, "").replace(/['’]s$/u, "");
}

/** The lowercased words of `text`, punctuation stripped, empty tokens dropped. */
export function wordsOf(text: string): string[] {
  return text.split(/[\s/—–]+/u).map((t) => stripWord(t).toLowerCase()).filter((w) => w !== "");
}

/** A crude stem for comparing words: the first 5 letters ("testing" and "tests" agree). */
export function wordKey(word: string): string {
  return word.slice(0, 5);
}

/** Sentences of `text`: split at line breaks (list items) and after . ! ? before a capital. */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*([-*•]|\d+[.)])\s+/u, ""))
    .flatMap((line) => line.split(/(?<=[.!?]["')\]]?)\s+(?=["'(\[]?[\p{Lu}\d])/u))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A capitalised word of `text` and where it stands. */
export interface CapitalisedWord {
  /** The word as written, punctuation stripped. */
  word: string;
  /** True when it opens a sentence, so its capital may be only grammar. */
  initial: boolean;
  /** The next token, stripped and lowercased (to read "Phase 20"), or null. */
  following: string | null;
}

/** Capitalised words of 3+ characters in `text`, in order, with repeats. */
export function capitalisedWords(text: string): CapitalisedWord[] {
  const found: CapitalisedWord[] = [];
  for (const sentence of splitSentences(text)) {
    const tokens = sentence.split(/[\s/—–]+/u).map(stripWord).filter((t) => t !== "");
    tokens.forEach((word, i) => {
      if ([...word].length < 3 || !/^\p{Lu}/u.test(word)) return;
      found.push({ word, initial: i === 0, following: tokens[i + 1]?.toLowerCase() ?? null });
    });
  }
  return found;
}

/** True for a word that opens sentences without naming anything ("The", "User", "Discussed"). */
export function isSentenceOpener(word: string): boolean {
  return STARTERS.has(word.toLowerCase()) || VERB_OPENER.test(word);
}

/**
 * The summary's grounding terms: capitalised words of 3+ characters (stripped of surrounding
 * punctuation and a possessive 's; a sentence's first word skipped only when it is a function
 * word, discourse adverb or speaker label — see `STARTERS`), double-quoted phrases and
 * single-quoted phrases longer than 2 characters; lowercased and de-duplicated, first seen
 * first.
 *
 * @example
 * ```ts
 * groundingTerms('The user set up "dark mode" in Deno.'); // ["deno", "dark mode"]
 * ```
 */
export function groundingTerms(summary: string): string[] {
  const words = capitalisedWords(summary)
    .filter((w) => !(w.initial && STARTERS.has(w.word.toLowerCase())));
  return withPhrases(summary, words.map((w) => w.word));
}

/**
 * A claim's terms: like {@linkcode groundingTerms}, but a sentence's first word counts only
 * when it is not an opener and looks like a name — an inner capital or digit ("SQLite"),
 * capitalised mid-sentence elsewhere in the reflection (`names`), or found in the evidence.
 * So "Nightly backups go to Backblaze" is checked on backblaze, "Tailscale gives access" on
 * tailscale, and "Decided to use Zorblax" on zorblax.
 */
function claimTerms(claim: string, names: ReadonlySet<string>, evidenceText: string): string[] {
  const words = capitalisedWords(claim).filter(({ word, initial }) => {
    if (!initial) return true;
    if (isSentenceOpener(word)) return false;
    const lower = word.toLowerCase();
    return /[\p{Lu}\d]/u.test(word.slice(1)) || names.has(lower) || evidenceText.includes(lower);
  });
  return withPhrases(claim, words.map((w) => w.word));
}

function withPhrases(text: string, words: readonly string[]): string[] {
  const terms = new Set(words.map((w) => w.toLowerCase()));
  for (const match of text.matchAll(/["“]([^"“”]+)["”]/gu)) addPhrase(terms, match[1], 1);
  const single = /(?<![\p{L}\p{N}])['‘]([^'‘’\n]+)['’](?![\p{L}\p{N}])/gu;
  for (const match of text.matchAll(single)) addPhrase(terms, match[1], 3);
  return [...terms];
}

function addPhrase(terms: Set<string>, phrase: string | undefined, minLength: number): void {
  const text = phrase?.trim().toLowerCase() ?? "";
  if (text.length >= minLength) terms.add(text);
}

/**
 * The share of the summary's terms found (as substrings) in the lowercased evidence, rounded
 * to 4 decimals; 1.0 when the summary has no terms.
 *
 * @param summary The reflection's summary.
 * @param evidence What the user said and the context retrieved during the session.
 * @returns A score in [0, 1].
 *
 * @example
 * ```ts
 * const evidence = ["Tell me about Python deployment options."];
 * groundingScore("Discussed Python and Kubernetes deployment", evidence);
 * // 0.3333: of discussed, python, kubernetes only python is found
 * ```
 */
export function groundingScore(summary: string, evidence: readonly string[]): number {
  return termGrounding(summary, evidence.join("\n").toLowerCase()).score;
}

/** The term score of `summary` against the lowercased evidence, and the terms not found. */
function termGrounding(
  summary: string,
  evidenceText: string,
): { score: number; missing: string[] } {
  const terms = groundingTerms(summary);
  const missing = terms.filter((term) => !evidenceText.includes(term));
  const score = terms.length === 0 ? 1 : round4((terms.length - missing.length) / terms.length);
  return { score, missing };
}

/** Rounds to 4 decimals, as stored scores are. */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** How one claim was checked. */
export interface ClaimGrounding {
  /** The claim as written. */
  text: string;
  /** Whether the evidence supports it. */
  grounded: boolean;
  /** Terms (or, for a claim without terms, words) not found in the evidence. */
  missing: string[];
  /** "terms": by its capitalised terms; "words": by word overlap; "none": nothing to check. */
  checkedBy: "terms" | "words" | "none";
}

/** The claims of a text and the share grounded. */
export interface ClaimsGrounding {
  /** Grounded claims / checkable claims, 4 decimals; 1.0 with nothing to check. */
  score: number;
  claims: ClaimGrounding[];
}

/**
 * Checks each claim on its own. Claims are the sentences and list items of `text` (pass an
 * array to add decisions and lessons, one claim or more each). A claim with capitalised terms
 * is grounded when every one of its terms is found (its opening verb, e.g. "Discussed", is not
 * a term here); a claim without terms is grounded when at least half of its content words
 * (stop words and summary vocabulary dropped, compared by their first 5 letters) occur in the
 * evidence; a claim with neither ("Good session.") is not counted.
 *
 * @param text The summary, or the summary followed by decisions and lessons.
 * @param evidence What the user said and the context retrieved during the session.
 * @returns The share of grounded claims and each claim's result.
 */
export function groundClaims(
  text: string | readonly string[],
  evidence: readonly string[],
): ClaimsGrounding {
  const evidenceText = evidence.join("\n").toLowerCase();
  const evidenceKeys = new Set(wordsOf(evidenceText).map(wordKey));
  const sentences = (typeof text === "string" ? [text] : text).flatMap(splitSentences);
  const names = new Set(
    sentences.flatMap((s) => capitalisedWords(s).filter((w) => !w.initial))
      .map((w) => w.word.toLowerCase()),
  );
  const claims = sentences.map((claim) => groundClaim(claim, names, evidenceText, evidenceKeys));
  const checked = claims.filter((c) => c.checkedBy !== "none");
  const grounded = checked.filter((c) => c.grounded).length;
  return { score: checked.length === 0 ? 1 : round4(grounded / checked.length), claims };
}

function groundClaim(
  claim: string,
  names: ReadonlySet<string>,
  evidenceText: string,
  evidenceKeys: ReadonlySet<string>,
): ClaimGrounding {
  const terms = claimTerms(claim, names, evidenceText);
  if (terms.length > 0) {
    const missing = terms.filter((term) => !evidenceText.includes(term));
    return { text: claim, grounded: missing.length === 0, missing, checkedBy: "terms" as const };
  }
  const words = [...new Set(wordsOf(claim).filter((w) => w.length >= 3 && !STOP_WORDS.has(w)))];
  if (words.length === 0) {
    return { text: claim, grounded: true, missing: [], checkedBy: "none" as const };
  }
  const missing = words.filter((word) => !evidenceKeys.has(wordKey(word)));
  const grounded = (words.length - missing.length) / words.length >= CLAIM_WORDS_MIN;
  return { text: claim, grounded, missing, checkedBy: "words" as const };
}

/** The parts of a session reflection that make claims. */
export interface ReflectionClaims {
  /** The reflection's summary, always checked. */
  summary: string;
  /** The decisions it records, each a claim. */
  decisions?: readonly string[];
  /** The lessons it records, each a claim. */
  lessons?: readonly string[];
}

/** The grounding of a reflection, with what `--debug` shows about it. */
export interface ReflectionGrounding {
  /** The grounding to store: min(termScore, claimScore × 0.5 when a claim failed). */
  score: number;
  /** mycoSwarm's score: the share of the summary's terms found. */
  termScore: number;
  /** The share of grounded claims over the summary, decisions and lessons. */
  claimScore: number;
  /** The summary's terms not found in the evidence. */
  missingTerms: string[];
  /** Each claim and how it was checked, for `--debug`. */
  claims: ClaimGrounding[];
  /** False below {@linkcode INDEX_MIN_GROUNDING}: store the reflection, do not index it. */
  indexed: boolean;
  /** True below {@linkcode LOW_GROUNDING}: documents win against it at retrieval. */
  low: boolean;
}

/**
 * Grounds a reflection. The final score is min(term score, claim score), where an ungrounded
 * claim also halves the claim score (× {@linkcode LOW_GROUNDING}). An average alone hides one
 * invented claim (9 of 10 grounded scores 0.9); halving puts any reflection with an invented
 * claim under 0.5 — low, so the self-correction filters apply to it — while it stays indexed
 * (≥ 0.3) for its true claims as long as at least 60% of them are grounded.
 *
 * @param reflection The summary, decisions and lessons.
 * @param evidence What the user said and the context retrieved during the session.
 * @returns The scores, the failed terms and claims, and whether to index and flag it.
 *
 * @example
 * ```ts
 * // 9 grounded claims + 1 invented: termScore 0.9, claimScore 0.9 → score 0.45 (low, indexed)
 * ```
 */
export function reflectionGrounding(
  reflection: ReflectionClaims,
  evidence: readonly string[],
): ReflectionGrounding {
  const { score: termScore, missing: missingTerms } = termGrounding(
    reflection.summary,
    evidence.join("\n").toLowerCase(),
  );
  const { score: claimScore, claims } = groundClaims(
    [reflection.summary, ...(reflection.decisions ?? []), ...(reflection.lessons ?? [])],
    evidence,
  );
  const score = round4(Math.min(termScore, claimScore < 1 ? claimScore * LOW_GROUNDING : 1));
  return {
    score,
    termScore,
    claimScore,
    missingTerms,
    claims,
    indexed: score >= INDEX_MIN_GROUNDING,
    low: score < LOW_GROUNDING,
  };
}
