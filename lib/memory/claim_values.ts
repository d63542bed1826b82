/**
 * Claim values: the checkable things a sentence asserts — times, dates, versions, sizes and
 * other numbers (with their units), quoted phrases and names — each with a normalised key, so
 * "8 GB", "8GB" and "8 gigabytes" agree, as do "seven" and "7", or "05:00", "5:00" and "5 am".
 * Pure: no I/O, no state; works on any script (Unicode letter classes throughout).
 */

import { isSentenceOpener, splitSentences, STOP_WORDS, stripWord } from "./grounding.ts";
import { sameValueKey, valueAliases } from "./value_aliases.ts";
import { isMonthWord, MONTH, monthNumber, WORD_NUMBER, wordNumber } from "./_value_words.ts";

/** What kind of value a claim states. */
export type ValueKind = "time" | "date" | "version" | "size" | "number" | "quote" | "name";

/** One value found in a text. */
export interface ClaimValue {
  /** Its kind: values of the same kind in the same statement can contradict each other. */
  kind: ValueKind;
  /** As written ("8 gigabytes", "05:00", "Zorblax"). */
  text: string;
  /** Normalised, for matching ("size:8:gb", "time:05:00", "name:zorblax"). */
  key: string;
  /** True for a name that opens its sentence: its capital may be only grammar. */
  initial?: boolean;
}

/** Units of size and duration, each spelling → one canonical unit. */
const UNITS: Record<string, string> = Object.fromEntries(
  ([
    ["kb", "kb kilobyte kilobytes kib"],
    ["mb", "mb megabyte megabytes mib"],
    ["gb", "gb gigabyte gigabytes gib gigs"],
    ["tb", "tb terabyte terabytes tib"],
    ["ms", "ms millisecond milliseconds"],
    ["s", "s sec secs second seconds"],
    ["min", "min mins minute minutes"],
    ["h", "h hr hrs hour hours"],
    ["d", "day days"],
    ["wk", "week weeks"],
    ["mo", "month months"],
    ["yr", "year years"],
    ["%", "% percent per-cent"],
    ["ghz", "ghz"],
    ["mhz", "mhz"],
  ] as const).flatMap(([unit, spellings]) => spellings.split(" ").map((s) => [s, unit])),
);

const NUM = String.raw`\d{1,3}(?:,\d{3})+(?![.,]?\d)|\d+(?:[.,]\d+)?`;
const TIME = new RegExp(
  String
    .raw`(?<![\p{L}\p{N}.:])(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\p{L}\p{N}]|:\d)`,
  "giu",
);
const ISO_DATE = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g;
const MONTH_DATE = new RegExp(
  String
    .raw`\b(${MONTH})\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(${MONTH})(?![\p{L}])(?:,?\s+(\d{4})\b)?`,
  "giu",
);
/** Times of day said in words. */
const NAMED_TIMES: Record<string, string> = { noon: "12:00", midday: "12:00", midnight: "00:00" };
const VERSION = /(?<![\p{N}.])v?(\d+(?:\.\d+)+)(?![\p{N}]|\.\d)/giu;
const QUANTITY = new RegExp(
  String.raw`(?<![\p{L}\p{N}.,:])(${NUM}|${WORD_NUMBER})(?:\s*|-)(%|[\p{L}][\p{L}-]*)?`,
  "giu",
);

/** A number as digits: "seven" → "7", "8,0" → "8.0"; null when it is not one. */
export function normaliseNumber(text: string): string | null {
  const lower = text.toLowerCase();
  const word = wordNumber(lower);
  if (word !== null) return String(word);
  // "1,500" is fifteen hundred; "1,5" (a decimal comma) is one and a half.
  if (/^\d{1,3}(?:,\d{3})+$/.test(lower)) return String(Number(lower.replaceAll(",", "")));
  if (!/^\d+(?:[.,]\d+)?$/.test(lower)) return null;
  return String(Number(lower.replace(",", ".")));
}

/**
 * The values stated in `text`, in order, each once (by key). Times and dates first, so
 * "05:00" is a time, not two numbers; versions ("3.12", "v2.1") next; then quantities with a
 * unit ("8 GB", "seven daily archives" counts as the number 7); quoted phrases; names
 * (capitalised words of 3+ letters that are not grammar: sentence-opening verbs such as
 * "Discussed", function words, speaker labels).
 *
 * @example
 * ```ts
 * extractValues("Backups run at 5 am on 8GB disks").map((v) => v.key);
 * // ["time:05:00", "size:8:gb"]
 * ```
 */
export function extractValues(text: string): ClaimValue[] {
  const found = new Map<string, ClaimValue>();
  // Characters already read as a value, one flag each: a list of ranges, scanned per match,
  // made a pasted log of 16,000 lines take 37 s (quadratic); this stays linear.
  const taken = new Uint8Array(text.length);
  const free = (start: number, end: number) => taken.subarray(start, end).every((t) => t === 0);
  const add = (value: ClaimValue, start: number, end: number) => {
    taken.fill(1, start, end);
    if (!found.has(value.key)) found.set(value.key, value);
  };
  for (const m of text.matchAll(ISO_DATE)) {
    add({ kind: "date", text: m[0], key: `date:${m[0]}` }, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(MONTH_DATE)) {
    if (!free(m.index, m.index + m[0].length)) continue;
    const month = monthNumber(m[1] ?? m[5] ?? "");
    const day = Number(m[2] ?? m[4]);
    const year = m[3] ?? m[6];
    const monthDay = `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const key = year === undefined ? `date:${monthDay}` : `date:${year}-${monthDay}`;
    add({ kind: "date", text: m[0], key }, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(/\b(noon|midday|midnight)\b/giu)) {
    const key = `time:${NAMED_TIMES[m[1]!.toLowerCase()]}`;
    add({ kind: "time", text: m[0], key }, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(TIME)) {
    if (m[2] === undefined && m[3] === undefined) continue; // a bare number
    if (!free(m.index, m.index + m[0].length)) continue;
    let hour = Number(m[1]);
    const minute = Number(m[2] ?? "0");
    const half = m[3]?.toLowerCase().replaceAll(".", "");
    if (hour > 24 || minute > 59) continue;
    if (half === "pm" && hour < 12) hour += 12;
    if (half === "am" && hour === 12) hour = 0;
    const key = `time:${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
    add({ kind: "time", text: m[0].trim(), key }, m.index, m.index + m[0].length);
  }
  for (const m of text.matchAll(VERSION)) {
    const end = m.index + m[0].length;
    if (!free(m.index, end)) continue;
    // "3.5 GB" is a size, not a version.
    if (UNITS[(/^\s*([\p{L}%]+)/u.exec(text.slice(end))?.[1] ?? "").toLowerCase()]) continue;
    add({ kind: "version", text: m[0], key: `version:${m[1]}` }, m.index, end);
  }
  for (const m of text.matchAll(QUANTITY)) {
    const end = m.index + m[0].length;
    if (!free(m.index, m.index + m[1]!.length)) continue;
    const number = normaliseNumber(m[1]!);
    if (number === null) continue;
    const next = (m[2] ?? "").toLowerCase();
    const unit = UNITS[next];
    if (/^\p{L}/u.test(m[1]!) && (next === "" || STOP_WORDS.has(next) || next === "of")) continue;
    if (unit !== undefined) {
      add({ kind: "size", text: m[0].trim(), key: `size:${number}:${unit}` }, m.index, end);
    } else if (next === "k" && /^\d/.test(m[1]!)) {
      // "2k" is 2000, as in "$2k".
      const key = `number:${Number(number) * 1000}`;
      add({ kind: "number", text: m[0], key }, m.index, end);
    } else {
      add(
        { kind: "number", text: m[1]!, key: `number:${number}` },
        m.index,
        m.index + m[1]!.length,
      );
    }
  }
  for (const m of text.matchAll(/["“«]([^"“”«»\n]{2,})["”»]/gu)) {
    const phrase = m[1]!.trim().toLowerCase();
    if (phrase.length >= 3) {
      found.set(`quote:${phrase}`, { kind: "quote", text: m[1]!, key: `quote:${phrase}` });
    }
  }
  for (const name of namesOf(text)) found.set(name.key, name);
  return [...found.values()];
}

/** Names: capitalised words of 3+ letters, not grammar. */
function namesOf(text: string): ClaimValue[] {
  const names: ClaimValue[] = [];
  for (const sentence of splitSentences(text)) {
    const tokens = sentence.split(/[\s/—–]+/u).map(stripWord).filter((t) => t !== "");
    tokens.forEach((word, i) => {
      if ([...word].length < 3 || !/^\p{Lu}/u.test(word) || /^\p{N}/u.test(word)) return;
      const lower = word.toLowerCase();
      if (STOP_WORDS.has(lower) || wordNumber(lower) !== null || isMonthWord(lower)) return;
      if (CONTRACTION.test(lower)) return; // "We're", "I'm", "Didn't": pronouns and verbs
      const initial = i === 0 || /[:;]$/.test(tokens[i - 1] ?? "");
      if (initial && (isSentenceOpener(word) || isGrammar(lower))) return;
      names.push({ kind: "name", text: word, key: `name:${lower}`, initial });
    });
  }
  return names;
}

/** A contracted pronoun or verb: we're, they've, you'll, we'd, i'm, didn't. */
const CONTRACTION = /['’](?:re|ve|ll|d|m|t)$/u;

/**
 * Words that open sentences as grammar: English imperatives and adverbs that open lessons and
 * decisions, and the pronouns and articles of the languages summaries are most often in.
 */
const GRAMMAR = new Set(
  ("always never if use using keep run check avoid prefer consider remember make try do don't " +
    "dont let set add move switch stay stick start stop install upgrade pick choose go plan " +
    "agreed agree learned learnt noted found both either neither every each most many some " +
    "several all next last first second third nightly daily weekly monthly yearly later soon " +
    "instead otherwise because since until unless although though yes no maybe perhaps " +
    "again once now currently migrate deploy configure enable disable create update review " +
    "test schedule write read replace remove delete restart reboot monitor document ask tell " +
    "compare explain discuss decide build fix rotate limit increase reduce split merge " +
    "downgrade store save share mount format encrypt verify ensure note watch look wait " +
    // Discourse words and labels that open summaries, and irregular past tenses.
    "initially ultimately afterwards afterward together overall finally additionally meanwhile " +
    "eventually however therefore thus also then key main important summary outcome result " +
    "decision decisions lesson lessons takeaway takeaways option options focus goal topic " +
    "went took made got ran spent wrote sent began had was were gave thought brought bought " +
    "chose drew felt held kept left lost met paid put said saw sold told understood troubleshot " +
    "wir ich sie er es die der das ein eine einen den dem nous je il elle les le la une un " +
    "el los las yo nosotros ellos het een wij jij vi jeg han hun det den ett noi io lui lei")
    .split(" "),
);

function isGrammar(lower: string): boolean {
  return GRAMMAR.has(lower);
}

/** Evidence prepared for value lookups: built once per reflection. */
export interface Evidence {
  /** All evidence, lowercased, one text per line. */
  text: string;
  /** Keys of every value stated in the evidence (sizes also count as bare numbers). */
  keys: ReadonlySet<string>;
  /** The first five letters of every evidence word. */
  wordKeys: ReadonlySet<string>;
  /** Each evidence sentence with its content-word keys and values, for "X was said". */
  sentences: readonly EvidenceSentence[];
}

/** One sentence of evidence. */
export interface EvidenceSentence {
  /** Its content-word keys (stop words and values left out). */
  words: ReadonlySet<string>;
  /** Its values. */
  values: readonly ClaimValue[];
}

/** Prepares `texts` (what the user said, documents, web results, tool output) for lookups. */
export function buildEvidence(texts: readonly string[]): Evidence {
  const sentences = texts.flatMap(splitSentences).map((s) => ({
    words: contentKeys(s),
    values: extractValues(s),
  }));
  const keys = new Set<string>();
  for (const text of texts) {
    for (const v of extractValues(text)) {
      for (const alias of valueAliases(v.key)) keys.add(alias);
      const size = /^size:([^:]+):/.exec(v.key);
      if (size) keys.add(`number:${size[1]}`);
    }
  }
  const lower = texts.join("\n").toLowerCase();
  return { text: lower, keys, wordKeys: new Set(wordsIn(lower).map(key5)), sentences };
}

/**
 * True when `value` is found in the evidence: numbers, sizes, times, dates and versions by
 * their normalised key; quoted phrases and names as lowercased text (a name not as part of a
 * longer word); a sentence-opening name also by its first five letters ("Nightly" ~ "night").
 */
export function valueFound(value: ClaimValue, evidence: Evidence): boolean {
  switch (value.kind) {
    case "quote":
      return evidence.text.includes(value.key.slice("quote:".length));
    case "name": {
      const lower = value.text.toLowerCase();
      if (wordIncluded(evidence.text, lower)) return true;
      // A plural of a name said once: "Mondays", "Raspberry Pis".
      if (/\p{Ll}s$/u.test(value.text) && wordIncluded(evidence.text, lower.slice(0, -1))) {
        return true;
      }
      return value.initial === true && evidence.wordKeys.has(key5(lower));
    }
    default:
      return valueAliases(value.key).some((key) => evidence.keys.has(key));
  }
}

/**
 * Values of the same kind as `value` said instead, in the evidence sentence closest to
 * `claim` (sharing at least two content words, or the claim's only one; most shared first);
 * [] when none.
 *
 * @example
 * ```ts
 * const evidence = buildEvidence(["backups run at 02:00 every night"]);
 * saidInstead("Backups run at 05:00.", extractValues("05:00")[0]!, evidence); // ["02:00"]
 * ```
 */
export function saidInstead(claim: string, value: ClaimValue, evidence: Evidence): string[] {
  const mine = contentKeys(claim);
  let best: { shared: number; values: string[] } | null = null;
  for (const sentence of evidence.sentences) {
    const shared = [...sentence.words].filter((w) => mine.has(w)).length;
    const other = sentence.values
      .filter((v) => v.kind === value.kind && !sameValueKey(v.key, value.key) && v.kind !== "name")
      .map((v) => v.text);
    if (
      shared >= Math.min(2, mine.size) && shared > 0 && other.length > 0 &&
      (best === null || shared > best.shared)
    ) {
      best = { shared, values: other };
    }
  }
  return best?.values ?? [];
}

/** The content-word keys of a text: lowercased, stop words and numbers left out. */
export function contentKeys(text: string): Set<string> {
  return new Set(
    wordsIn(text.toLowerCase())
      .filter((w) =>
        ([...w].length >= 3 || UNSPACED.test(w)) && !STOP_WORDS.has(w) && !/^\p{N}/u.test(w)
      )
      .map(key5),
  );
}

/** Scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Words of a text; in scripts without spaces (Chinese, Japanese, Thai), character pairs. */
function wordsIn(lower: string): string[] {
  return lower.split(/[^\p{L}\p{N}\p{M}]+/u).filter((w) => w !== "").flatMap((word) => {
    if (!UNSPACED.test(word)) return [word];
    const chars = [...word];
    return chars.length < 2 ? chars : chars.slice(1).map((c, i) => `${chars[i]}${c}`);
  });
}

function key5(word: string): string {
  return [...word].slice(0, 5).join("");
}

/**
 * True when `word` stands in `text` as a word of its own: not inside a longer one ("redis" in
 * "redistribute"), though a plural or possessive ending ("mondays", "postgres's") or a number
 * glued on ("python3.12") may follow.
 */
function wordIncluded(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1] ?? " ";
    const after = text.slice(at + word.length, at + word.length + 3);
    if (!/[\p{L}\p{N}\p{M}]/u.test(before) && WORD_END.test(after)) return true;
  }
  return false;
}

const WORD_END = /^(?:e?s|['’]s)?(?![\p{L}\p{M}])/u;
