/**
 * Grounding's vocabulary: the word-level rules claim checks share — sentences, words, and the
 * words that open sentences without naming anything ("The", "User", "Discussed", "Built").
 * The checks themselves are claim-level: see claim_values.ts (what a claim states) and
 * claim_grounding.ts (whether the evidence supports it).
 */

/**
 * Sentence-initial words that are never names: function words, discourse adverbs, and the
 * speaker labels summaries start with. Capitalised only for the grammar, they would count as
 * found almost always ("the") or never ("User").
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

/**
 * Sentences of `text`: split at line breaks (list items) and after . ! ? before a capital,
 * but not after an abbreviation that does not end sentences ("e.g. Redis", "Dr. Smith"); after
 * 。！？ (Chinese and Japanese need no space).
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .map((line) => line.replace(/^\s*([-*•]|\d+[.)])\s+/u, ""))
    .flatMap((line) => line.split(SENTENCE_BREAK))
    .flatMap((sentence) => sentence.split(/(?<=[。！？])/u))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const SENTENCE_BREAK =
  /(?<!\b(?:[Ee]\.g|[Ii]\.e|Dr|Mr|Mrs|Ms|Prof|vs|cf|approx)\.)(?<=[.!?]["')\]]?)\s+(?=["'(\[]?[\p{Lu}\d])/u;

/** True for a word that opens sentences without naming anything ("The", "User", "Discussed"). */
export function isSentenceOpener(word: string): boolean {
  return STARTERS.has(word.toLowerCase()) || VERB_OPENER.test(word);
}

/** Rounds to 4 decimals, as stored scores are. */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
