/** CSV → self-describing text lines: the columns, then one `column: value` line per row. */

/**
 * Renders a CSV table as text. Each row becomes one line of `column: value`
 * pairs, so a chunk cut from the middle of a long table still says what its
 * numbers are. Empty cells are left out; the delimiter (`,`, `;` or tab) is
 * the one most used in the first line.
 *
 * @example
 * ```ts
 * csvText("name,age\nAda,36");
 * // "Columns: name, age\nname: Ada; age: 36"
 * ```
 */
export function csvText(source: string): string {
  const rows = parseCsv(source, delimiterOf(source)).filter((row) =>
    row.some((cell) => cell.trim() !== "")
  );
  const [header, ...records] = rows;
  if (header === undefined) return "";
  const columns = header.map((name, i) => name.trim() || `column ${i + 1}`);
  const lines = [`Columns: ${columns.join(", ")}`];
  for (const record of records) {
    const pairs = record
      .map((cell, i) => [columns[i] ?? `column ${i + 1}`, oneLine(cell)] as const)
      .filter(([, value]) => value !== "")
      .map(([column, value]) => `${column}: ${value}`);
    if (pairs.length > 0) lines.push(pairs.join("; "));
  }
  return lines.join("\n");
}

function delimiterOf(source: string): string {
  const firstLine = source.split("\n", 1)[0] ?? "";
  let best = ",";
  let bestCount = 0;
  for (const candidate of [",", ";", "\t"]) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) [best, bestCount] = [candidate, count];
  }
  return best;
}

/** RFC 4180: quoted cells may hold delimiters, newlines and doubled quotes. */
export function parseCsv(source: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === delimiter) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && source[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else {
      cell += ch;
    }
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function oneLine(cell: string): string {
  return cell.replace(/\s+/g, " ").trim();
}
