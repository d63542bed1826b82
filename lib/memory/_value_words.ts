/**
 * Numbers and months as words, for claim values: "seven", "twenty-four", "Dec", "3rd of
 * March". Private to lib/memory (claim_values.ts reads them). Pure.
 */

/** Number words zero..twenty, by value. */
export const NUMBER_WORDS: readonly string[] = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];

const TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/** Regex source of a number in words: "twenty-four" and "forty" before "four". */
export const WORD_NUMBER = `(?:${TENS.join("|")})(?:[- ](?:${
  NUMBER_WORDS.slice(1, 10).join("|")
}))?|${[...NUMBER_WORDS].reverse().join("|")}`;

/** A number in words as its value ("twenty-four" → 24); null when it is not one. */
export function wordNumber(lower: string): number | null {
  const [tens, ones] = lower.split(/[- ]/);
  const ten = TENS.indexOf(tens ?? "");
  if (ten >= 0) {
    const one = ones === undefined ? 0 : NUMBER_WORDS.indexOf(ones);
    return one < 0 || one > 9 ? null : (ten + 2) * 10 + one;
  }
  const small = NUMBER_WORDS.indexOf(lower);
  return small >= 0 ? small : null;
}

/** Month names, January first. */
export const MONTHS: readonly string[] = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** Regex source of a month, full or abbreviated ("Dec", "Sept."). */
export const MONTH = `${MONTHS.join("|")}|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?`;

/** The month's number, 1..12, of a full or abbreviated name; 0 when it is none. */
export function monthNumber(name: string): number {
  const head = name.toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(head)) + 1;
}

/** True for a month's name or abbreviation ("Dec"): grammar of a date, not a name. */
export function isMonthWord(lower: string): boolean {
  return MONTHS.includes(lower) ||
    (lower.length <= 4 && monthNumber(lower) > 0 && MONTHS.some((m) => m.startsWith(lower)));
}
