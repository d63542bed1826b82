/**
 * Checks the import rules of `lib/`: `deno run --allow-read tasks/check_imports.ts`.
 *
 * Each `lib/<area>/` is one area. A file may import:
 *
 * - any file of its own area (a `_private.ts` file only from its own folder);
 * - another area only through that area's `mod.ts` ("past-mod" otherwise), and only an
 *   area on a lower row of {@linkcode LAYERS} or an edge listed in {@linkcode SIDEWAYS}
 *   ("upward" otherwise);
 * - nothing under `tests/` or `tasks/`, and, outside `*_test.ts` files, nothing under
 *   `testing/` ("test-only"): test fakes never ship with the library.
 *
 * Prints one line per violation and exits 1 when there is any, so `deno task check` fails.
 *
 * @module
 */

/** The areas top to bottom: dependencies point down only, so a lower row never breaks an upper. */
export const LAYERS: readonly (readonly string[])[] = [
  ["cli"],
  ["daemon"],
  ["api"],
  ["chat"],
  ["orchestrator"],
  // node builds the identity from the model list (llm), so it sits on this row, not lower.
  ["intent", "llm", "memory", "search", "web", "discovery", "node"],
  ["hardware", "config", "store"],
  ["core"],
];

/** Imports between two areas of one row that the design allows, as `"from→to"`. */
export const SIDEWAYS: readonly string[] = [
  "memory→intent", // recall asks the intent which memory to search
  "memory→search", // the library and recall indexes are hybrid indexes
  "node→llm", // the identity lists this node's models and their roles
];

/** One file and the module specifiers it imports, paths relative to the repository root. */
export interface SourceImports {
  /** The importing file, e.g. `lib/chat/pipeline.ts`. */
  path: string;
  /** The specifiers as written, e.g. `../memory/mod.ts`. */
  imports: readonly string[];
}

/** Which rule an import breaks, so a reader knows how to fix it. */
export type Rule = "past-mod" | "upward" | "private" | "test-only" | "unknown-area";

/** One import that breaks one rule. */
export interface Violation {
  /** The importing file. */
  path: string;
  /** The specifier as written. */
  specifier: string;
  /** The rule broken. */
  rule: Rule;
  /** What is wrong, in a few words. */
  message: string;
}

/** Options for {@linkcode findViolations}, so tests can try other layer orders. */
export interface RuleOptions {
  /** @default {LAYERS} */
  layers?: readonly (readonly string[])[];
  /** @default {SIDEWAYS} */
  sideways?: readonly string[];
}

const IMPORT_PATTERN = new RegExp(
  [
    // import x, { a } from "s"; export { a } from "s"; import type * as n from "s"
    String
      .raw`^[ \t]*(?:import|export)(?:\s+type)?\s*(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s*from\s*["']([^"']+)["']`,
    // import "s";
    String.raw`^[ \t]*import\s*["']([^"']+)["']`,
    // await import("s")
    String.raw`\bimport\(\s*["']([^"']+)["']\s*\)`,
  ].join("|"),
  "gm",
);

/**
 * The module specifiers a source file imports or re-exports, in order, so the rules see
 * static, side-effect and dynamic imports alike. Statements must start a line, which
 * skips `@example` code inside doc comments.
 *
 * @param source the file's text
 * @returns the specifiers as written
 */
export function extractImports(source: string): string[] {
  return [...source.matchAll(IMPORT_PATTERN)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/**
 * Every import of `files` that breaks a rule, pure so it can be tested without a disk.
 *
 * @param files the scanned files of `lib/` and their imports
 * @param options other layers, for tests
 * @returns the violations, in the order of `files` and their imports
 */
export function findViolations(
  files: readonly SourceImports[],
  options: RuleOptions = {},
): Violation[] {
  const layers = options.layers ?? LAYERS;
  const sideways = new Set(options.sideways ?? SIDEWAYS);
  const row = new Map<string, number>();
  layers.forEach((areas, i) => areas.forEach((area) => row.set(area, i)));
  const violations: Violation[] = [];
  for (const { path, imports } of files) {
    const from = areaOf(path);
    for (const specifier of imports) {
      if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue;
      const target = resolve(dirname(path), specifier);
      const add = (rule: Rule, message: string) =>
        violations.push({ path, specifier, rule, message });
      const top = target.split("/")[0];
      if (top === "tests" || top === "tasks" || (top === "testing" && !isTest(path))) {
        add("test-only", `lib/ may not import ${top}/${top === "testing" ? " outside tests" : ""}`);
        continue;
      }
      const to = areaOf(target);
      if (from === undefined || to === undefined) continue;
      if (basename(target).startsWith("_") && dirname(target) !== dirname(path)) {
        add("private", `${target} is private to ${dirname(target)}/`);
      }
      if (from === to) continue;
      if (target !== `lib/${to}/mod.ts`) {
        add("past-mod", `import ${to} through lib/${to}/mod.ts, not ${target}`);
      }
      const fromRow = row.get(from);
      const toRow = row.get(to);
      if (fromRow === undefined || toRow === undefined) {
        const unknown = fromRow === undefined ? from : to;
        add("unknown-area", `area ${unknown} is not in the layers of tasks/check_imports.ts`);
      } else if (toRow < fromRow) {
        add("upward", `${from} may not import ${to}, a higher layer`);
      } else if (toRow === fromRow && !sideways.has(`${from}→${to}`)) {
        add("upward", `${from} may not import ${to}, same layer and not an allowed edge`);
      }
    }
  }
  return violations;
}

/** One line for a violation: file, import, rule and why. */
export function formatViolation(v: Violation): string {
  return `${v.path}: "${v.specifier}" [${v.rule}] ${v.message}`;
}

function isTest(path: string): boolean {
  return path.endsWith("_test.ts");
}

function areaOf(path: string): string | undefined {
  const parts = path.split("/");
  return parts[0] === "lib" && parts.length > 2 ? parts[1] : undefined;
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function resolve(dir: string, specifier: string): string {
  const parts = dir === "" ? [] : dir.split("/");
  for (const segment of specifier.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== "." && segment !== "") parts.push(segment);
  }
  return parts.join("/");
}

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await sourceFiles(path));
    else if (entry.isFile && path.endsWith(".ts")) found.push(path);
  }
  return found.sort();
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const files: SourceImports[] = [];
  for (const file of await sourceFiles(`${root}/lib`)) {
    const path = file.slice(root.length + 1);
    files.push({ path, imports: extractImports(await Deno.readTextFile(file)) });
  }
  const violations = findViolations(files);
  for (const v of violations) console.error(formatViolation(v));
  if (violations.length > 0) {
    console.error(`check_imports: ${violations.length} import rule violations`);
    Deno.exit(1);
  }
  console.log(`check_imports: ${files.length} files of lib/, every import within the rules`);
}
