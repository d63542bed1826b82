/**
 * Equal values written differently: "8192 MB" is "8 GB", "two weeks" is "14 days",
 * "2026-04-12" is "April 12". Each value key gets the keys it is equal to, so that a claim
 * in other units than the user's is still found, and is not taken for a contradiction.
 * Pure.
 */

/** Bytes per unit, decimal and binary: "8 GB" may mean either. */
const BYTES: Record<string, readonly number[]> = {
  kb: [1e3, 2 ** 10],
  mb: [1e6, 2 ** 20],
  gb: [1e9, 2 ** 30],
  tb: [1e12, 2 ** 40],
};

/** Seconds per unit; months and years vary in length, so they match only as written. */
const SECONDS: Record<string, number> = {
  ms: 1e-3,
  s: 1,
  min: 60,
  h: 3_600,
  d: 86_400,
  wk: 604_800,
};

/**
 * The keys equal to `key`, itself first: a size also as bytes (decimal and binary), a
 * duration as seconds, a full date also as its month and day.
 *
 * @example
 * ```ts
 * valueAliases("size:8:gb"); // ["size:8:gb", "bytes:8000000000", "bytes:8589934592"]
 * valueAliases("date:2026-04-12"); // ["date:2026-04-12", "date:04-12"]
 * ```
 */
export function valueAliases(key: string): string[] {
  const size = /^size:([^:]+):(.+)$/.exec(key);
  if (size) {
    const amount = Number(size[1]);
    const unit = size[2]!;
    const bytes = BYTES[unit]?.map((per) => `bytes:${Math.round(amount * per)}`) ?? [];
    const seconds = SECONDS[unit] === undefined
      ? []
      : [`seconds:${Math.round(amount * SECONDS[unit] * 1000) / 1000}`];
    return [key, ...new Set([...bytes, ...seconds])];
  }
  const date = /^date:\d{4}-(\d{2}-\d{2})$/.exec(key);
  if (date) return [key, `date:${date[1]}`];
  return [key];
}

/** True when two value keys state the same value ("size:8192:mb" and "size:8:gb"). */
export function sameValueKey(a: string, b: string): boolean {
  if (a === b) return true;
  const theirs = new Set(valueAliases(b));
  return valueAliases(a).some((k) => theirs.has(k));
}
