/**
 * The fake model's deterministic JSON: documents filled from a JSON schema (structured output)
 * and tool calls chosen and filled from the user's words.
 */

import { asRecord } from "./_fake_llm_text.ts";

/** One function tool as both APIs offer it: `{type: "function", function: {...}}`. */
export interface ToolSpec {
  name: string;
  description: string;
  /** The parameters' JSON schema; {} when absent. */
  parameters: Record<string, unknown>;
}

/** A tool call the fake model makes, arguments as an object. */
export interface ToolCallPlan {
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * Reads a request's `tools`, keeping the function tools that have a name.
 *
 * @returns the tools, or undefined when `tools` is present but not a list
 */
export function readTools(value: unknown): ToolSpec[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const tools: ToolSpec[] = [];
  for (const item of value) {
    const fn = asRecord(asRecord(item).function);
    if (typeof fn.name !== "string" || fn.name === "") continue;
    tools.push({
      name: fn.name,
      description: typeof fn.description === "string" ? fn.description : "",
      parameters: asRecord(fn.parameters),
    });
  }
  return tools;
}

/**
 * Picks the tool whose name or description shares the most words with the user's message
 * (the first on a tie, the first when none shares any) and fills its required parameters.
 */
export function planToolCall(tools: readonly ToolSpec[], userText: string): ToolCallPlan {
  const wanted = new Set(words(userText));
  let best = tools[0]!;
  let bestScore = 0;
  for (const tool of tools) {
    const offered = new Set(words(`${splitName(tool.name)} ${tool.description}`));
    const score = [...offered].filter((word) => wanted.has(word)).length;
    if (score > bestScore) [best, bestScore] = [tool, score];
  }
  const schema = best.parameters;
  const properties = asRecord(schema.properties);
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === "string")
    : [];
  const args: Record<string, unknown> = {};
  const subject = subjectOf(userText);
  for (const name of required) {
    args[name] = sample(asRecord(properties[name]), { root: schema, text: subject, depth: 0 });
  }
  return { name: best.name, arguments: args };
}

/**
 * A document matching `schema`, every property filled: strings from `text` (or the first
 * enum value, or a date for `format: date`/`date-time`), numbers and integers 1, booleans true,
 * arrays one item, nested objects recursively; `$ref`s into `$defs`/`definitions` followed.
 *
 * @example sampleSchema({ type: "object", properties: { age: { type: "integer" } } }, "hi") // { age: 1 }
 */
export function sampleSchema(schema: unknown, text: string): unknown {
  const root = asRecord(schema);
  return sample(root, { root, text, depth: 0 });
}

interface SampleContext {
  root: Record<string, unknown>;
  text: string;
  depth: number;
}

// Recursive schemas ($ref to itself) stop here.
const MAX_DEPTH = 8;

function sample(schema: Record<string, unknown>, ctx: SampleContext): unknown {
  if (ctx.depth > MAX_DEPTH) return null;
  const inner = { ...ctx, depth: ctx.depth + 1 };
  if (typeof schema.$ref === "string") return sample(resolveRef(schema.$ref, ctx.root), inner);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ("default" in schema && schema.default !== undefined) return schema.default;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const choice = options.map(asRecord).find((option) => option.type !== "null") ??
        asRecord(options[0]);
      return sample(choice, inner);
    }
  }
  const type = Array.isArray(schema.type)
    ? schema.type.find((t) => t !== "null") ?? "null"
    : schema.type ?? (schema.properties ? "object" : schema.items ? "array" : "string");
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(asRecord(schema.properties))) {
        out[name] = sample(asRecord(property), inner);
      }
      return out;
    }
    case "array":
      return [sample(asRecord(schema.items), inner)];
    case "integer":
    case "number":
      return typeof schema.minimum === "number" && schema.minimum > 1 ? schema.minimum : 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      if (schema.format === "date-time") return "2025-01-15T10:30:00Z";
      if (schema.format === "date") return "2025-01-15";
      return ctx.text;
  }
}

function resolveRef(ref: string, root: Record<string, unknown>): Record<string, unknown> {
  if (ref === "#") return root;
  const path = ref.replace(/^#\//, "").split("/").map((part) =>
    part.replaceAll("~1", "/").replaceAll("~0", "~")
  );
  let node: unknown = root;
  for (const part of path) node = asRecord(node)[part];
  return asRecord(node);
}

/**
 * JSON as models write it: one space after every `:` and `,`, so the document splits into
 * word-sized streamed tokens (Ollama's docs show `{"age": 22, "available": false}`).
 */
export function spacedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([key, item]) =>
      `${JSON.stringify(key)}: ${spacedJson(item)}`
    );
    return `{${entries.join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * The part of a request a string argument is about: the words after its last preposition
 * ("what is the weather in Tokyo?" → "Tokyo"), else the whole message, trailing punctuation
 * dropped.
 */
export function subjectOf(text: string): string {
  const trimmed = text.trim().replace(/[.?!]+$/, "");
  const match = trimmed.match(/.*\b(?:in|for|about|on|at|to|of|from|with)\s+(.+)$/is);
  const subject = match?.[1]?.trim() ?? trimmed;
  return subject === "" ? trimmed : subject;
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) =>
    word.length > 2 && !STOP_WORDS.has(word)
  );
}

/** "get_weather" and "getWeather" → "get weather". */
function splitName(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_\-.]+/g, " ");
}

// Words every tool description has; matching on them would pick tools at random.
const STOP_WORDS = new Set([
  "the",
  "and",
  "for",
  "with",
  "what",
  "this",
  "that",
  "from",
  "into",
  "are",
  "was",
  "you",
  "your",
  "get",
  "set",
  "can",
  "please",
]);
