/**
 * Recorded web pages and provider responses under `tests/fixtures/web/`.
 *
 * @module
 */

/** Reads a fixture under tests/fixtures/web/. */
export function fixture(name: string): Promise<string> {
  return Deno.readTextFile(new URL(`../tests/fixtures/web/${name}`, import.meta.url));
}
