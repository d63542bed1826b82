/**
 * What a finished task keeps of a large payload or result: its size and its first part.
 * The size is the value's JSON length, estimated by walking it (no string is built).
 *
 * @module
 */

/** Longest string a summary keeps. */
const PREVIEW_CHARS = 256;
/** Items of an array a summary keeps. */
const PREVIEW_ITEMS = 4;
/** Fields of an object a summary keeps. */
const PREVIEW_KEYS = 16;
/** Nesting a summary keeps; deeper values become `"…"`. */
const PREVIEW_DEPTH = 2;
/** Largest summary: past it, only the top-level field names are kept. */
const MAX_SUMMARY_BYTES = 4096;

/** A value summarized: `summarized: true`, its JSON size, and its first part. */
export interface Summary {
  /** Always true: the full value is no longer kept. */
  summarized: true;
  /** The full value's JSON length (estimated). */
  bytes: number;
  /** The value's fields, cut short (an object's are spread into the summary instead). */
  preview?: unknown;
}

/**
 * About the length of `JSON.stringify(value)`: strings, keys and integers exactly (escapes
 * aside), other numbers as 20 characters. Cheap: it walks the value, building no text.
 */
export function jsonBytes(value: unknown): number {
  let bytes = 0;
  const stack: unknown[] = [value];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    switch (typeof v) {
      case "string":
        bytes += v.length + 3; // quotes and a comma
        break;
      case "number":
        bytes += (Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v).length : 20) + 1;
        break;
      case "boolean":
        bytes += 6;
        break;
      case "object": {
        if (v === null) {
          bytes += 5;
          break;
        }
        if (seen.has(v)) break; // not JSON; counted once
        seen.add(v);
        bytes += 2;
        if (Array.isArray(v)) {
          for (const item of v) stack.push(item);
        } else {
          for (const [key, item] of Object.entries(v)) {
            if (item === undefined) continue;
            bytes += key.length + 3;
            stack.push(item);
          }
        }
        break;
      }
    }
  }
  return bytes;
}

/** True when `value` is a {@linkcode Summary}: the full value is gone. */
export function isSummary(value: unknown): value is Summary {
  return typeof value === "object" && value !== null &&
    (value as { summarized?: unknown }).summarized === true &&
    typeof (value as { bytes?: unknown }).bytes === "number";
}

/**
 * A summary of `value` (of JSON size `bytes`): an object keeps its fields, each cut short
 * (an inference result keeps its model and speeds, and the start of its response); any
 * other value is kept cut short as `preview`.
 */
export function summarize(value: unknown, bytes: number): Summary {
  const cut = preview(value, 0);
  const summary: Summary = typeof cut === "object" && cut !== null && !Array.isArray(cut)
    ? { ...cut, summarized: true, bytes }
    : { summarized: true, bytes, preview: cut };
  if (jsonBytes(summary) <= MAX_SUMMARY_BYTES) return summary;
  const keys = typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.keys(value).slice(0, PREVIEW_KEYS)
    : [];
  return { summarized: true, bytes, preview: { keys } };
}

function preview(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return value.length > PREVIEW_CHARS ? `${value.slice(0, PREVIEW_CHARS)}…` : value;
  }
  if (typeof value !== "object" || value === null) return value;
  if (depth >= PREVIEW_DEPTH) return "…";
  if (Array.isArray(value)) {
    const items = value.slice(0, PREVIEW_ITEMS).map((item) => preview(item, depth + 1));
    const more = value.length - PREVIEW_ITEMS;
    return more > 0 ? [...items, `… ${more} more`] : items;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, PREVIEW_KEYS).map(([k, v]) => [k, preview(v, depth + 1)]);
  if (entries.length > PREVIEW_KEYS) kept.push(["…", `${entries.length - PREVIEW_KEYS} more`]);
  return Object.fromEntries(kept);
}
