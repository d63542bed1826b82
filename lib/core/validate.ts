/**
 * Reading fields of JSON input (API request bodies, task payloads) with errors that name
 * the field: MycoError `invalid_input` with `field` set, which the API answers as 400
 * `{error: {code, message, field}}` and the CLI as exit 2. Absent and `null` are the same.
 *
 * @module
 */

import { createError, type MycoError } from "./errors.ts";

/** A JSON object as parsed: fields of unknown type. */
export type JsonFields = Record<string, unknown>;

/** Where the fields sit, for error messages. */
export interface FieldOptions {
  /**
   * The name of the object holding the fields, prefixed to field names in errors:
   * with `"payload"`, a bad `temperature` is reported as `payload.temperature`.
   *
   * @default none: the field's own name
   */
  parent?: string;
}

/**
 * The error for a bad field: "<field> <why>", `invalid_input`, naming the field.
 *
 * @example
 * ```ts
 * throw invalidField("messages[2].role", "must be system, user or assistant");
 * ```
 */
export function invalidField(field: string, why: string): MycoError {
  return createError("invalid_input", `${field} ${why}`, { field });
}

/**
 * A string field, or undefined when absent.
 *
 * @throws MycoError `invalid_input` for another type, or blank text when `nonEmpty`
 */
export function optionalString(
  fields: JsonFields,
  field: string,
  options: FieldOptions & {
    /** Refuse text that is empty or only white space. @default false */
    nonEmpty?: boolean;
  } = {},
): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidField(nameOf(field, options), "must be a string");
  if (options.nonEmpty && value.trim() === "") {
    throw invalidField(nameOf(field, options), "must not be empty");
  }
  return value;
}

/** The allowed range of {@linkcode optionalNumber} and {@linkcode optionalInteger}. */
export interface RangeOptions extends FieldOptions {
  /** The smallest allowed value. */
  min: number;
  /** The largest allowed value. */
  max: number;
}

/**
 * A finite number field within [min, max], or undefined when absent.
 *
 * @throws MycoError `invalid_input`: "<field> must be a number from <min> to <max>"
 */
export function optionalNumber(
  fields: JsonFields,
  field: string,
  options: RangeOptions & {
    /** Refuse fractions too. @default false */
    integer?: boolean;
  },
): number | undefined {
  const { min, max, integer = false } = options;
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  const ok = typeof value === "number" && (integer ? Number.isInteger(value) : isFinite(value));
  if (!ok || value < min || value > max) {
    throw invalidField(
      nameOf(field, options),
      `must be ${integer ? "an integer" : "a number"} from ${min} to ${max}`,
    );
  }
  return value;
}

/**
 * An integer field within [min, max], or undefined when absent.
 *
 * @throws MycoError `invalid_input`: "<field> must be an integer from <min> to <max>"
 */
export function optionalInteger(
  fields: JsonFields,
  field: string,
  options: RangeOptions,
): number | undefined {
  return optionalNumber(fields, field, { ...options, integer: true });
}

/**
 * A list of 1 to `max` non-empty strings, or undefined when absent.
 *
 * @throws MycoError `invalid_input` naming the list, or the item at fault (`texts[3]`)
 */
export function optionalStrings(
  fields: JsonFields,
  field: string,
  options: FieldOptions & {
    /** The most items allowed. */
    max: number;
  },
): string[] | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > options.max) {
    throw invalidField(nameOf(field, options), `must be a list of 1 to ${options.max} strings`);
  }
  value.forEach((item, i) => {
    if (typeof item !== "string" || item === "") {
      throw invalidField(nameOf(`${field}[${i}]`, options), "must be text");
    }
  });
  return value as string[];
}

/**
 * Fails, naming the first of `names`, when none of them is present.
 *
 * @throws MycoError `invalid_input`: "payload needs 'prompt' or 'messages'"
 */
export function requireOne(
  fields: JsonFields,
  names: readonly string[],
  options: FieldOptions = {},
): void {
  if (names.every((f) => fields[f] === undefined || fields[f] === null)) {
    throw createError(
      "invalid_input",
      `${options.parent ?? "The input"} needs ${names.map((f) => `'${f}'`).join(" or ")}`,
      { field: nameOf(names[0] ?? "", options) },
    );
  }
}

function nameOf(field: string, { parent }: FieldOptions): string {
  return parent === undefined ? field : `${parent}.${field}`;
}
