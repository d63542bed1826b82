/** URL identity for de-duplicating search results across providers. */

/** Query parameters that only track clicks; they never change the page. */
const TRACKING = /^(utm_\w+|fbclid|gclid|msclkid|mc_cid|mc_eid|ref_src)$/i;

/**
 * Reduces a URL to what identifies the page: no fragment, no tracking
 * parameters, no `www.`, no default port, no trailing slash, and http and
 * https treated alike. Returns the input trimmed when it is not a URL.
 *
 * @example
 * ```ts
 * normaliseUrl("https://www.Example.com/a/?utm_source=x#top"); // "example.com/a"
 * ```
 */
export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url.trim();
  }
  const host = parsed.hostname.toLowerCase().replace(/^www\./, "");
  const port = parsed.port === "" ? "" : `:${parsed.port}`;
  const params = [...parsed.searchParams].filter(([name]) => !TRACKING.test(name));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length === 0 ? "" : `?${new URLSearchParams(params)}`;
  const path = parsed.pathname.replace(/\/+$/, "");
  return `${host}${port}${path}${query}`;
}

/** Keeps the first result for each normalised URL, in order. */
export function dedupeByUrl<T extends { url: string }>(results: readonly T[]): T[] {
  const seen = new Set<string>();
  return results.filter((result) => {
    const key = normaliseUrl(result.url);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
