/** Reading task payload fields with errors that name the field ("payload.temperature ..."). */

import { createError } from "../core/mod.ts";
import type { TaskPayload } from "./types.ts";

function invalid(field: string, why: string) {
  return createError("invalid_input", `payload.${field} ${why}`, { field: `payload.${field}` });
}

/** A string field, or undefined when absent (null counts as absent). */
export function optionalString(
  payload: TaskPayload,
  field: string,
  { nonEmpty = false }: { nonEmpty?: boolean } = {},
): string | undefined {
  const value = payload[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(field, "must be a string");
  if (nonEmpty && value.trim() === "") throw invalid(field, "must not be empty");
  return value;
}

/** A number field within [min, max], or undefined when absent. */
export function optionalNumber(
  payload: TaskPayload,
  field: string,
  min: number,
  max: number,
  { integer = false }: { integer?: boolean } = {},
): number | undefined {
  const value = payload[field];
  if (value === undefined || value === null) return undefined;
  const ok = typeof value === "number" && (integer ? Number.isInteger(value) : isFinite(value));
  if (!ok || value < min || value > max) {
    throw invalid(field, `must be ${integer ? "an integer" : "a number"} from ${min} to ${max}`);
  }
  return value;
}

/** A list of non-empty strings of at most `max` items, or undefined when absent. */
export function optionalStrings(
  payload: TaskPayload,
  field: string,
  max: number,
): string[] | undefined {
  const value = payload[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > max) {
    throw invalid(field, `must be a list of 1 to ${max} strings`);
  }
  value.forEach((item, i) => {
    if (typeof item !== "string" || item === "") throw invalid(`${field}[${i}]`, "must be text");
  });
  return value as string[];
}

/** Fails naming `fields` when none of them is present. */
export function requireOne(payload: TaskPayload, fields: readonly string[]): void {
  if (fields.every((f) => payload[f] === undefined || payload[f] === null)) {
    throw createError(
      "invalid_input",
      `payload needs ${fields.map((f) => `'${f}'`).join(" or ")}`,
      { field: `payload.${fields[0]}` },
    );
  }
}
