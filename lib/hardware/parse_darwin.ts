/** Pure parsers for macOS system tools: `sysctl -n` values and `vm_stat`. */

/** A whole number printed by `sysctl -n` (hw.memsize, hw.logicalcpu); null otherwise. */
export function parseSysctlNumber(stdout: string): number | null {
  const text = stdout.trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * Available RAM in MiB from `vm_stat`: free + inactive + speculative pages
 * (what macOS can hand out without swapping), times the page size it prints.
 * Null when the output has no page counts.
 */
export function parseVmStatAvailable(stdout: string): number | null {
  const pageSize = Number(/page size of (\d+) bytes/.exec(stdout)?.[1] ?? 4096);
  const pages = new Map<string, number>();
  for (const line of stdout.split("\n")) {
    const match = /^Pages ([\w ]+):\s+(\d+)\.?\s*$/.exec(line.trim());
    if (match?.[1] !== undefined) pages.set(match[1], Number(match[2]));
  }
  if (!pages.has("free")) return null;
  const available = ["free", "inactive", "speculative"]
    .reduce((sum, key) => sum + (pages.get(key) ?? 0), 0);
  return Math.round((available * pageSize) / (1024 * 1024));
}
