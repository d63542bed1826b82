/** JSON values → indented `key: value` text, the keys kept, the braces and quotes gone. */

/**
 * Renders a parsed JSON value as readable text, YAML-like: objects as
 * `key: value` lines, nested values indented, arrays of scalars on one line,
 * arrays of objects as `-` items.
 *
 * @example
 * ```ts
 * jsonText({ name: "lab", tags: ["a", "b"], owner: { id: 7 } });
 * // "name: lab\ntags: a, b\nowner:\n  id: 7"
 * ```
 */
export function jsonText(value: unknown): string {
  const lines: string[] = [];
  render(value, 0, lines);
  return lines.join("\n");
}

function render(value: unknown, depth: number, lines: string[]): void {
  const pad = "  ".repeat(depth);
  if (Array.isArray(value)) {
    if (value.every(isScalar)) {
      lines.push(pad + value.map(scalar).join(", "));
      return;
    }
    for (const item of value) {
      const start = lines.length;
      render(item, depth + 1, lines);
      // The first line of the item carries the "- " marker in place of its indent.
      const first = lines[start];
      if (first !== undefined) lines[start] = `${pad}- ${first.slice(pad.length + 2)}`;
    }
    return;
  }
  if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (isScalar(child)) lines.push(`${pad}${key}: ${scalar(child)}`);
      else if (Array.isArray(child) && child.every(isScalar)) {
        lines.push(`${pad}${key}: ${child.map(scalar).join(", ")}`.trimEnd());
      } else if (isEmpty(child)) lines.push(`${pad}${key}:`);
      else {
        lines.push(`${pad}${key}:`);
        render(child, depth + 1, lines);
      }
    }
    return;
  }
  lines.push(pad + scalar(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== "object";
}

function isEmpty(value: unknown): boolean {
  return isObject(value) && Object.keys(value).length === 0;
}

function scalar(value: unknown): string {
  return value === null ? "null" : String(value);
}
