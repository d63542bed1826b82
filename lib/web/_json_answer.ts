/** Shared checks for JSON search APIs. */

import { createError } from "../core/mod.ts";

/** Parses a provider's JSON answer into an object, or says the format changed. */
export function jsonObject(label: string, text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw changedFormat(label, "the answer is not JSON");
  }
  if (!isRecord(data)) throw changedFormat(label, "the answer is not a JSON object");
  return data;
}

/** True for a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string field, or "" when missing or not a string. */
export function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  return typeof value === "string" ? value : "";
}

/** The error for an answer whose shape mycoswarm no longer recognises. */
export function changedFormat(label: string, what: string) {
  return createError(
    "web_unavailable",
    `${label}'s answer has an unexpected format (${what}); mycoswarm may need an update`,
  );
}

/** True when `url` is an absolute http or https URL. */
export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
